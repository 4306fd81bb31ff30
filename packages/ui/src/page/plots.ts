/**
 * Plots of a version's rows with sensible defaults (Observable Plot): one varying
 * input gives a line of an output against it, the seeds of each point aggregated as a
 * mean with a ±1 sd band; two give a heatmap (or coloured lines when one has many
 * values); more give parallel coordinates. `time` as the output is the cost view.
 */
import * as Plot from '@observablehq/plot';
import { extent, type PointGroup } from '../query.js';
import { cellKey, compareCells, type ColumnInfo } from '../table.js';
import { formatNumber } from './dom.js';

/** The kinds of plot offered. */
export type MarkKind = 'line' | 'heatmap' | 'parallel' | 'scatter';

/** The kinds of plot, in the order offered. */
export const MARKS: readonly MarkKind[] = ['line', 'scatter', 'heatmap', 'parallel'];

/** What is drawn: the output `y` against `x`, optionally coloured and faceted by other inputs. */
export interface PlotSpec {
  readonly mark: MarkKind;
  readonly x: string;
  readonly y: string;
  readonly color: string;
  readonly facet: string;
  /** The inputs of a parallel-coordinates plot. */
  readonly axes: readonly string[];
  /**
   * The choices left out, each as `setting=value`: they name no column this version can plot
   * that way (a link made on another version, a column since renamed), and the default stands in.
   */
  readonly ignored: readonly string[];
}

/** The columns each choice of a plot may name: what its controls offer. */
export interface PlotChoices {
  /** Parameters with a value a point can be placed by: x, colour. */
  readonly inputs: readonly ColumnInfo[];
  /** Parameters with few enough values to draw a plot per value. */
  readonly facets: readonly ColumnInfo[];
  /** Numbers to plot: y. */
  readonly outputs: readonly ColumnInfo[];
}

/** Most values a facet column may take: one small plot per value. */
export const MAX_FACETS = 12;

/** The columns a plot's x, y, colour and facet may name. */
export function plotChoices(columns: readonly ColumnInfo[]): PlotChoices {
  const inputs = columns.filter((c) => isParameter(c) && c.kind !== 'value');
  return { inputs, facets: inputs.filter((c) => c.distinct <= MAX_FACETS), outputs: numericOutputs(columns) };
}

/** The value of a colour or facet choice that asks for none (an empty one asks for the default). */
export const NONE = 'none';

/** An input named so is a seed: its values are aggregated, never an axis by default. */
export const SEED_INPUT = 'global_seed';

/** Whether a column is a parameter of the call: an input, or a method's `this` state. */
export function isParameter(column: ColumnInfo): boolean {
  return column.group === 'input' || column.group === 'this';
}

/** Parameters taking more than one value (the seed last). */
export function varyingInputs(columns: readonly ColumnInfo[]): ColumnInfo[] {
  const varying = columns.filter((c) => isParameter(c) && c.distinct > 1 && c.kind !== 'value');
  return [...varying.filter((c) => c.name !== SEED_INPUT), ...varying.filter((c) => c.name === SEED_INPUT)];
}

/**
 * The column of the seconds each call took: the record's `time`, named with its group as prefix
 * (`record.time`) when an input or output holds the name, which is then not it.
 */
export function timeColumn(columns: readonly ColumnInfo[]): ColumnInfo | undefined {
  return columns.find((c) => c.group === 'record' && c.kind === 'number' && /(^|\.)time$/.test(c.name));
}

/** Numeric columns that can be a plot's y: the output's numbers, then the time each call took. */
export function numericOutputs(columns: readonly ColumnInfo[]): ColumnInfo[] {
  const time = timeColumn(columns);
  return columns.filter((c) => (c.kind === 'number' && c.group === 'output') || c === time);
}

/**
 * The plot for the state's choices, the defaults filling what it leaves open. A choice naming no column
 * its control offers (`x=nope`, a link made on another version) is left out, and listed in `ignored`.
 */
export function choosePlot(
  columns: readonly ColumnInfo[],
  asked: { x?: string; y?: string; color?: string; facet?: string; mark?: string },
): PlotSpec | undefined {
  const choices = plotChoices(columns);
  const ignored: string[] = [];
  const valid = (setting: string, value: string | undefined, among: readonly string[]): string | undefined => {
    if (!value || among.includes(value)) return value;
    ignored.push(`${setting}=${value}`);
    return undefined;
  };
  const inputNames = choices.inputs.map((c) => c.name);
  const chosen = {
    x: valid('x', asked.x, inputNames),
    y: valid('y', asked.y, choices.outputs.map((c) => c.name)),
    color: valid('color', asked.color, [NONE, ...inputNames]),
    facet: valid('facet', asked.facet, [NONE, ...choices.facets.map((c) => c.name)]),
    mark: valid('mark', asked.mark, MARKS) as MarkKind | undefined,
  };
  const varying = varyingInputs(columns);
  const inputs = varying.filter((c) => c.name !== SEED_INPUT);
  const y = chosen.y || choices.outputs[0]?.name;
  if (!y) return undefined;
  const x = chosen.x || inputs[0]?.name || varying[0]?.name || columns.find((c) => isParameter(c))?.name;
  if (!x) return undefined;
  const others = inputs.filter((c) => c.name !== x);
  let mark = chosen.mark;
  if (!mark) {
    if (inputs.length >= 3) mark = 'parallel';
    else if (
      inputs.length === 2 &&
      others[0].distinct <= 30 &&
      (columns.find((c) => c.name === x)?.distinct ?? 0) <= 30
    ) {
      mark = 'heatmap';
    } else {
      mark = 'line';
    }
  }
  const fallback = mark === 'line' || mark === 'heatmap' ? (others[0]?.name ?? '') : '';
  const color = chosen.color === NONE ? '' : chosen.color || fallback;
  return {
    mark,
    x,
    y,
    color,
    facet: chosen.facet === NONE ? '' : (chosen.facet ?? ''),
    axes: inputs.map((c) => c.name),
    ignored,
  };
}

/** The columns to group rows by for a plot: one point per group. */
export function groupingOf(spec: PlotSpec): string[] {
  if (spec.mark === 'parallel') return [...spec.axes];
  return [spec.x, spec.color, spec.facet].filter((name, i, all) => name !== '' && all.indexOf(name) === i);
}

type Key = string | number | boolean | null;

/**
 * One point of a plot: the values of the columns it is grouped by, in the grouping's order,
 * and the summary of y. The keys stay apart from the summary, so an input named `n` or
 * `mean` is plotted as itself, and every channel is read by a function: a column given by
 * its name would be read as a constant when the name is a colour (`red`).
 */
interface Datum {
  readonly keys: readonly Key[];
  readonly mean: number;
  readonly low: number;
  readonly high: number;
  readonly n: number;
}

function data(groups: readonly PointGroup[]): Datum[] {
  return groups.map((group) => ({
    keys: group.keys,
    mean: group.mean,
    low: group.mean - group.sd,
    high: group.mean + group.sd,
    n: group.n,
  }));
}

/** Reads a column a point is grouped by; undefined (no channel) for none. */
function column(spec: PlotSpec, name: string): ((d: Datum) => Key) | undefined {
  const at = groupingOf(spec).indexOf(name);
  return at < 0 ? undefined : (d) => d.keys[at];
}

const mean = (d: Datum) => d.mean;

/**
 * The values a column takes among the points, in the table's order: an ordinal scale's domain.
 * Plot would sort them as text, and a BigInt input (its digits) or numeric text would be drawn
 * in the order 1, 10, 11, 2: a line through them zigzags.
 */
function domainOf(points: readonly Datum[], read: (d: Datum) => Key): Key[] {
  const distinct = new Map(points.map((point) => [cellKey(read(point)), read(point)]));
  // -0 before 0, which compare equal.
  const minusZeroFirst = (a: Key, b: Key) => Number(Object.is(b, -0)) - Number(Object.is(a, -0));
  return [...distinct.values()].sort((a, b) => compareCells(a, b) || minusZeroFirst(a, b)).map(ordinalKey);
}

/**
 * A value as a band, point or colour scale holds it: -0 as the text `-0`. Scales key their values
 * as a Map does, -0 as 0, and would draw f(-0) and f(0) — which Funes keys apart — in one band,
 * one hiding the other.
 */
function ordinalKey(value: Key): Key {
  return Object.is(value, -0) ? '-0' : value;
}

/** Reads a column for an ordinal scale (see {@link ordinalKey}). */
function ordinal(read: (d: Datum) => Key): (d: Datum) => Key;
function ordinal(read: ((d: Datum) => Key) | undefined): ((d: Datum) => Key) | undefined;
function ordinal(read: ((d: Datum) => Key) | undefined): ((d: Datum) => Key) | undefined {
  return read && ((d) => ordinalKey(read(d)));
}

/** Draws a plot of the groups. */
export function drawPlot(spec: PlotSpec, groups: readonly PointGroup[], width: number): SVGSVGElement | HTMLElement {
  const points = data(groups);
  const facetOf = column(spec, spec.facet);
  const fx = ordinal(facetOf);
  const common = {
    width,
    height: 420,
    marginLeft: 60,
    style: { fontSize: '12px' },
    ...(facetOf ? { fx: { label: spec.facet, domain: domainOf(points, facetOf) } } : {}),
  };
  const xOf = column(spec, spec.x)!;
  const colourOf = column(spec, spec.color);
  const colour = ordinal(colourOf);
  if (spec.mark === 'heatmap') {
    const x = ordinal(xOf);
    return Plot.plot({
      ...common,
      color: { type: 'linear', scheme: 'viridis', legend: true, label: `${spec.y} (mean)` },
      x: { label: spec.x, type: 'band', domain: domainOf(points, xOf) },
      y: { label: spec.color, type: 'band', ...(colourOf ? { domain: domainOf(points, colourOf) } : {}) },
      marks: [
        Plot.cell(points, {
          x,
          y: colour,
          fx,
          fill: mean,
          tip: true,
          title: (d: Datum) =>
            `${spec.x} = ${x(d)}\n${spec.color} = ${colour?.(d)}\n${spec.y} = ${d.mean} (n = ${d.n})`,
        }),
        Plot.text(points, {
          x,
          y: colour,
          fx,
          text: (d: Datum) => formatNumber(d.mean),
          fill: 'white',
          stroke: 'black',
          strokeWidth: 2,
          paintOrder: 'stroke',
        }),
      ],
    });
  }
  if (spec.mark === 'parallel') {
    const axes = [...spec.axes, spec.y];
    const values = axes.map((axis) => (axis === spec.y ? mean : column(spec, axis)!));
    const scales = values.map((value) => axisScale(points.map(value)));
    // Coloured by the finite means; without any, every line is NO_COLOUR and there is no scale.
    const finite = extent(points.map(mean).filter(Number.isFinite));
    const color: Plot.ScaleOptions | undefined =
      finite.min <= finite.max
        ? {
            type: 'linear',
            scheme: 'viridis',
            legend: true,
            label: `${spec.y} (mean)`,
            domain: [finite.min, finite.max],
          }
        : undefined;
    const scale = color ? Plot.scale({ color }) : undefined;
    const lines = parallelLines(
      points,
      axes,
      (p, i) => scales[i].position(values[i](p)),
      (m) => (scale ? String(scale.apply(m)) : NO_COLOUR),
    );
    const ends = axes.flatMap((axis, i) => [
      { axis, position: 0, label: scales[i].low },
      { axis, position: 1, label: scales[i].high },
    ]);
    return Plot.plot({
      ...common,
      x: { domain: axes, label: null, type: 'point' },
      y: { domain: [0, 1], axis: null },
      color,
      marks: [
        Plot.ruleX(axes, { stroke: '#ccc' }),
        lines,
        Plot.text(ends, { x: 'axis', y: 'position', text: 'label', dx: 6, textAnchor: 'start', fill: '#57606a' }),
        Plot.axisX({ anchor: 'top' }),
      ],
    });
  }
  const numericX = points.every((p) => typeof xOf(p) === 'number' || xOf(p) === null);
  // A linear x places -0 where 0 is, as their values are equal; an ordinal one keeps them apart.
  const x = numericX ? xOf : ordinal(xOf);
  const marks: Plot.Markish[] = [Plot.gridY()];
  if (spec.mark === 'line') {
    if (groups.some((g) => g.n > 1)) {
      marks.push(
        Plot.areaY(points, {
          x,
          y1: (d: Datum) => d.low,
          y2: (d: Datum) => d.high,
          fill: colour,
          fx,
          fillOpacity: 0.15,
          z: colour,
        }),
      );
    }
    marks.push(Plot.line(points, { x, y: mean, stroke: colour, fx, z: colour }));
  }
  marks.push(
    Plot.dot(points, {
      x,
      y: mean,
      stroke: colour,
      fx,
      tip: true,
      title: (d: Datum) => `${spec.x} = ${ordinalKey(x(d))}\n${spec.y} = ${d.mean} ± ${d.high - d.mean} (n = ${d.n})`,
    }),
  );
  return Plot.plot({
    ...common,
    x: { label: spec.x, ...(numericX ? {} : { type: 'point', domain: domainOf(points, xOf) }) },
    y: { label: `${spec.y}${groups.some((g) => g.n > 1) ? ' (mean ± sd)' : ''}` },
    // Each colour is one value of an input the points are grouped by: categories, not a gradient.
    color: colour
      ? { type: 'ordinal', scheme: 'tableau10', legend: true, label: spec.color, domain: domainOf(points, colourOf!) }
      : undefined,
    marks,
  });
}

/** The colour of lines whose mean is NaN or infinite, which the colour scale has no colour for. */
const NO_COLOUR = '#8c959f';

/**
 * The lines of a parallel-coordinates plot, drawn on a canvas shown as one image in the plot: as
 * SVG, a path per line made a large sweep's plot take a browser many seconds to draw and paint.
 * A position that is not finite (see {@link axisScale}) ends a line before that axis.
 */
function parallelLines(
  points: readonly Datum[],
  axes: readonly string[],
  position: (point: Datum, axis: number) => number,
  colour: (mean: number) => string,
): Plot.RenderFunction {
  return (_index, scales, _values, { width, height }) => {
    const ratio = devicePixelRatio || 1;
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    const context = canvas.getContext('2d')!;
    context.scale(ratio, ratio);
    context.globalAlpha = 0.7;
    // Lines one pixel wide are drawn by a browser's fast path, wider ones many times slower.
    context.lineWidth = 1;
    const xs = axes.map((axis) => scales.x!(axis) as number);
    for (const point of points) {
      context.strokeStyle = Number.isFinite(point.mean) ? colour(point.mean) : NO_COLOUR;
      context.beginPath();
      let drawing = false;
      axes.forEach((_, i) => {
        const at = position(point, i);
        if (!Number.isFinite(at)) drawing = false;
        else {
          const y = scales.y!(at) as number;
          if (drawing) context.lineTo(xs[i], y);
          else {
            context.moveTo(xs[i], y);
          }
          drawing = true;
        }
      });
      context.stroke();
    }
    const image = document.createElementNS('http://www.w3.org/2000/svg', 'image');
    for (const [name, value] of [['x', 0], ['y', 0], ['width', width], ['height', height]] as const) {
      image.setAttribute(name, String(value));
    }
    image.setAttribute('href', canvas.toDataURL());
    image.setAttribute('class', 'parallel-lines');
    image.setAttribute('data-lines', String(points.length));
    return image;
  };
}

/**
 * Positions values of one axis in [0, 1] — numbers linearly, others by their order in the table
 * (numeric text by value) — and labels its ends. NaN and ±Infinity have no position (NaN): a line
 * through one stops short of the axis.
 */
function axisScale(values: readonly (string | number | boolean | null)[]): {
  position: (value: string | number | boolean | null) => number;
  low: string;
  high: string;
} {
  if (values.every((v) => typeof v === 'number')) {
    // Over the finite values: one NaN or infinite mean would make every position NaN, and no line reach the axis.
    const { min, max } = extent((values as number[]).filter(Number.isFinite));
    if (min > max) return { position: () => Number.NaN, low: '', high: '' };
    return {
      position: (v) =>
        !Number.isFinite(v) ? Number.NaN : max === min ? 0.5 : ((v as number) - min) / (max - min),
      low: formatNumber(min),
      high: formatNumber(max),
    };
  }
  const order = [...new Set(values)].sort(compareCells);
  const index = new Map(order.map((value, i) => [value, i]));
  return {
    position: (v) => (order.length < 2 ? 0.5 : index.get(v)! / (order.length - 1)),
    low: order.length > 0 ? String(order[0]) : '',
    high: order.length > 0 ? String(order.at(-1)) : '',
  };
}

/** Whether a pair can be a point of the A-against-B scatter: both values finite. */
export function drawable(pair: { readonly a: number; readonly b: number }): boolean {
  return Number.isFinite(pair.a) && Number.isFinite(pair.b);
}

/** A scatter of A's values against B's with the y = x line; pairs with NaN or ±Infinity are left out. */
export function drawComparison(
  all: readonly { a: number; b: number; argumentHash: string }[],
  column: string,
  labelA: string,
  labelB: string,
  width: number,
): SVGSVGElement | HTMLElement {
  const pairs = all.filter(drawable);
  const { min: low, max: high } = extent(pairs.flatMap((p) => [p.a, p.b]));
  return Plot.plot({
    width,
    height: 420,
    marginLeft: 60,
    x: { label: `${column} in ${labelA}` },
    y: { label: `${column} in ${labelB}` },
    marks: [
      Plot.line([{ v: low }, { v: high }], { x: 'v', y: 'v', stroke: '#999', strokeDasharray: '4,3' }),
      Plot.dot(pairs, {
        x: 'a',
        y: 'b',
        stroke: (p: { a: number; b: number }) => (p.a === p.b ? 'same' : 'changed'),
        tip: true,
      }),
    ],
    color: { domain: ['same', 'changed'], range: ['#8c959f', '#cf222e'], legend: true },
  });
}

/** A line plot of a numeric array (an entry's output). */
export function drawArray(values: readonly number[], label: string, width: number): SVGSVGElement | HTMLElement {
  return Plot.plot({
    width,
    height: 260,
    marginLeft: 60,
    y: { label },
    x: { label: 'index' },
    marks: [Plot.lineY(values), Plot.gridY()],
  });
}
