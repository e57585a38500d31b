/** Typed arrays in shared memory, for worker threads that read the caller's copy instead of one each. */

type TypedArray = Float32Array | Float64Array | Int32Array;

/** `array` itself when it already lives in a SharedArrayBuffer, else a copy that does. */
export function inSharedMemory<T extends TypedArray>(array: T): T {
  if (array.buffer instanceof SharedArrayBuffer) return array;
  const Make = array.constructor as new (buffer: SharedArrayBuffer) => T;
  const copy = new Make(new SharedArrayBuffer(array.byteLength));
  (copy as { set(values: ArrayLike<number>): void }).set(array);
  return copy;
}
