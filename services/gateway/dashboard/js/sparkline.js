/* global document */
const SVG = 'http://www.w3.org/2000/svg';

const svgEl = (tag, attrs) => {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  return node;
};

/** "12 items in 48 hours, peak 5 per hour": what the picture says, for screen readers. */
export function describeSeries(series, bucketSeconds) {
  const total = series.reduce((sum, b) => sum + b.count, 0);
  const peak = series.reduce((max, b) => Math.max(max, b.count), 0);
  const hours = Math.round((series.length * bucketSeconds) / 3600);
  const per = bucketSeconds === 3600 ? 'hour' : `${Math.round(bucketSeconds / 60)} minutes`;
  return `${total} items over ${hours} hours, peak ${peak} per ${per}`;
}

/** A small line of counts per bucket (inline SVG: no library, scales with the text). */
export function sparkline(series, { width = 120, height = 28, bucketSeconds = 3600 } = {}) {
  const svg = svgEl('svg', {
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    class: 'sparkline',
    role: 'img',
    'aria-label': describeSeries(series, bucketSeconds),
  });
  if (series.length === 0) return svg;
  const max = Math.max(1, ...series.map((b) => b.count));
  const step = series.length > 1 ? width / (series.length - 1) : 0;
  const y = (count) => (height - 2 - (count / max) * (height - 4)).toFixed(1);
  const points = series.map((b, i) => `${(i * step).toFixed(1)},${y(b.count)}`);
  svg.append(
    svgEl('polygon', { points: `0,${height} ${points.join(' ')} ${width},${height}`, class: 'spark-area' }),
  );
  svg.append(svgEl('polyline', { points: points.join(' '), class: 'spark-line' }));
  return svg;
}

/** A bar chart of the time series for the topic detail, with axis labels for first and last bucket. */
export function seriesChart(series, { bucketSeconds = 3600 } = {}) {
  const width = 560;
  const height = 120;
  const svg = svgEl('svg', {
    viewBox: `0 0 ${width} ${height + 18}`,
    class: 'series-chart',
    role: 'img',
    'aria-label': describeSeries(series, bucketSeconds),
    preserveAspectRatio: 'none',
  });
  if (series.length === 0) return svg;
  const max = Math.max(1, ...series.map((b) => b.count));
  const slot = width / series.length;
  series.forEach((bucket, i) => {
    const h = (bucket.count / max) * (height - 4);
    const bar = svgEl('rect', {
      x: (i * slot + slot * 0.1).toFixed(1),
      y: (height - h).toFixed(1),
      width: Math.max(1, slot * 0.8).toFixed(1),
      height: h.toFixed(1),
      class: 'bar',
    });
    const title = svgEl('title', {});
    title.textContent = `${new Date(bucket.start).toLocaleString()}: ${bucket.count}`;
    bar.append(title);
    svg.append(bar);
  });
  svg.append(svgEl('line', { x1: 0, y1: height, x2: width, y2: height, class: 'axis' }));
  const label = (x, anchor, iso) => {
    const text = svgEl('text', { x, y: height + 14, 'text-anchor': anchor, class: 'axis-label' });
    text.textContent = new Date(iso).toLocaleString('en', {
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
    });
    return text;
  };
  svg.append(label(0, 'start', series[0].start), label(width, 'end', series[series.length - 1].start));
  return svg;
}
