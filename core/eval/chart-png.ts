// PNG export of the chart (Node only: kept apart from chart.ts so the renderer can import that without resvg).
import { Resvg } from '@resvg/resvg-js';

/** Rasterises an SVG string; width scales the image (height follows the aspect ratio), default is the SVG's size. */
export function svgToPng(svg: string, opts: { width?: number } = {}): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: opts.width ? { mode: 'width', value: opts.width } : { mode: 'original' },
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
