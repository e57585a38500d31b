/** Counting drawn items in vega's SVG output (marks are `<g class="mark-<type> role-mark …">` groups). */
export function countItems(svg: string, markType: string, element = "path"): number {
  const opener = `<g class="mark-${markType} role-mark`;
  let count = 0;
  let from = svg.indexOf(opener);
  while (from >= 0) {
    const end = svg.indexOf("</g>", from);
    const body = svg.slice(svg.indexOf(">", from) + 1, end);
    count += body.split(`<${element}`).length - 1;
    from = svg.indexOf(opener, end);
  }
  return count;
}

export function countGroups(svg: string, markType: string): number {
  return svg.split(`<g class="mark-${markType} role-mark`).length - 1;
}
