import type { Box } from '../canvas.js';

interface Point {
  x: number;
  y: number;
}

/** Edges closer than this are the same edge: lines of equal width share one straight side. */
const SAME_EDGE = 1e-6;

/**
 * One outline around a caption's line boxes, as TikTok's text tool draws its background: the
 * lines' boxes stacked top to bottom merge into one shape, its outer corners rounded by `radius`
 * and the inner corners where a narrow line meets a wider one rounded the other way, so the
 * box flows from line to line. A side that steps out by less than `radius` is squared off to
 * the outer line (a notch that small reads as a glitch); a corner on a step narrower than two
 * radii gets half the step. Lines that neither touch nor overlap the one above start a shape
 * of their own.
 */
export function boxPath(lines: readonly Box[], radius: number): string {
  return stacks(lines)
    .map((stack) => roundedPolygon(outline(squaredOff(stack, radius)), radius))
    .join('');
}

/** Runs of consecutive lines that touch vertically and overlap horizontally. */
function stacks(lines: readonly Box[]): Box[][] {
  const out: Box[][] = [];
  for (const line of lines) {
    if (line.width <= 0 || line.height <= 0) continue;
    const stack = out.at(-1);
    const above = stack?.at(-1);
    if (stack && above && joins(above, line)) stack.push(line);
    else out.push([line]);
  }
  return out;
}

function joins(above: Box, below: Box): boolean {
  const touches = Math.abs(above.top + above.height - below.top) <= SAME_EDGE;
  const overlaps = Math.min(above.left + above.width, below.left + below.width) > Math.max(above.left, below.left);
  return touches && overlaps;
}

/** The stack with each side of neighbouring lines less than `step` apart moved out to the outer of the two, until none is. */
function squaredOff(stack: readonly Box[], step: number): Box[] {
  const lefts = stack.map((b) => b.left);
  const rights = stack.map((b) => b.left + b.width);
  let moved = true;
  while (moved) {
    moved = false;
    for (let i = 0; i + 1 < stack.length; i++) {
      moved = evenUp(lefts, i, step, Math.min) || moved;
      moved = evenUp(rights, i, step, Math.max) || moved;
    }
  }
  return stack.map((b, i) => ({ left: lefts[i] as number, top: b.top, width: (rights[i] as number) - (lefts[i] as number), height: b.height }));
}

function evenUp(edges: number[], i: number, step: number, outer: (a: number, b: number) => number): boolean {
  const a = edges[i] as number;
  const b = edges[i + 1] as number;
  if (a === b || Math.abs(a - b) >= step) return false;
  edges[i] = edges[i + 1] = outer(a, b);
  return true;
}

/**
 * The stack's outline as a clockwise staircase polygon (y down): along the first line's top,
 * down the right side stepping at each line boundary, back along the last line's bottom, up
 * the left side.
 */
function outline(stack: readonly Box[]): Point[] {
  const right = (b: Box) => b.left + b.width;
  const bottom = (b: Box) => b.top + b.height;
  const first = stack[0] as Box;
  const last = stack.at(-1) as Box;
  const points: Point[] = [
    { x: first.left, y: first.top },
    { x: right(first), y: first.top },
  ];
  for (let i = 0; i + 1 < stack.length; i++) {
    const a = stack[i] as Box;
    const b = stack[i + 1] as Box;
    if (Math.abs(right(a) - right(b)) > SAME_EDGE) points.push({ x: right(a), y: bottom(a) }, { x: right(b), y: bottom(a) });
  }
  points.push({ x: right(last), y: bottom(last) }, { x: last.left, y: bottom(last) });
  for (let i = stack.length - 1; i > 0; i--) {
    const a = stack[i] as Box;
    const b = stack[i - 1] as Box;
    if (Math.abs(a.left - b.left) > SAME_EDGE) points.push({ x: a.left, y: a.top }, { x: b.left, y: a.top });
  }
  return points;
}

/**
 * A closed path through the polygon with every corner replaced by a circular arc of `radius`
 * (less where an edge is too short for two): clockwise where the outline turns right (an outer
 * corner), anticlockwise where it turns left (an inner one).
 */
function roundedPolygon(points: readonly Point[], radius: number): string {
  const count = points.length;
  const corners = points.map((p, i) => {
    const prev = points[(i + count - 1) % count] as Point;
    const next = points[(i + 1) % count] as Point;
    const inLength = Math.hypot(p.x - prev.x, p.y - prev.y);
    const outLength = Math.hypot(next.x - p.x, next.y - p.y);
    const r = Math.max(0, Math.min(radius, inLength / 2, outLength / 2));
    const enter = { x: p.x - ((p.x - prev.x) / inLength) * r, y: p.y - ((p.y - prev.y) / inLength) * r };
    const leave = { x: p.x + ((next.x - p.x) / outLength) * r, y: p.y + ((next.y - p.y) / outLength) * r };
    const turnsRight = (p.x - prev.x) * (next.y - p.y) - (p.y - prev.y) * (next.x - p.x) > 0;
    return { enter, leave, r, sweep: turnsRight ? 1 : 0 };
  });
  let d = '';
  corners.forEach((c, i) => {
    d += `${i === 0 ? 'M' : 'L'}${n(c.enter.x)} ${n(c.enter.y)}`;
    if (c.r > 0) d += `A${n(c.r)} ${n(c.r)} 0 0 ${c.sweep} ${n(c.leave.x)} ${n(c.leave.y)}`;
  });
  return `${d}Z`;
}

function n(v: number): string {
  return String(Math.round(v * 10) / 10);
}
