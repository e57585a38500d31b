"""Executes one notebook top to bottom in a fresh kernel (nbclient) and writes the result.

    python3 execute.py <in.ipynb> <out.ipynb> [cell timeout seconds]

Why not plain `jupyter nbconvert --execute`: Deno's kernel sends a cell's stdout and its last value
(execute_result) from other tasks than the one that reports the cell idle, so under load they can
arrive after `status: idle`, when nbclient has stopped listening; they are then lost (seen here: 1-5 of
25 cells per run on a loaded 2-core machine). After idle we keep reading the cell's messages until the
kernel has been quiet for QUIET seconds, before the next cell starts. Exit 1 when a cell fails.
"""

import asyncio
import os
import queue
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionComplete, CellExecutionError
from nbclient.util import ensure_async

QUIET = 0.4  # seconds without a message of the cell
LATE_LIMIT = 3.0  # seconds of late messages at most (nbclient's iopub_timeout is 4)


class LateOutputClient(NotebookClient):
    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        await super()._async_poll_output_msg(parent_msg_id, cell, cell_index)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + LATE_LIMIT
        while loop.time() < deadline:
            try:
                msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=QUIET))
            except queue.Empty:
                return
            if msg["parent_header"].get("msg_id") != parent_msg_id:
                continue
            try:
                self.process_message(msg, cell, cell_index)
            except CellExecutionComplete:
                pass


def main():
    source, target = sys.argv[1], sys.argv[2]
    timeout = int(sys.argv[3]) if len(sys.argv) > 3 else 900
    nb = nbformat.read(source, as_version=4)
    client = LateOutputClient(
        nb,
        timeout=timeout,
        record_timing=False,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(source))}},
    )
    try:
        client.execute()
    except CellExecutionError as error:
        print(str(error), file=sys.stderr)
        return 1
    finally:
        nbformat.write(nb, target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
