() => {
  const problems = [];
  const inter = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  document.querySelectorAll('.js-plotly-plot').forEach((plot, i) => {
    const frame = (plot.querySelector('.main-svg') || plot).getBoundingClientRect();
    const texts = [...plot.querySelectorAll('svg text')]
      .filter(e => !e.closest('.hoverlayer') && e.textContent.trim())
      .filter(e => getComputedStyle(e).visibility !== 'hidden' && getComputedStyle(e).display !== 'none' && getComputedStyle(e).opacity !== '0')
      .map(e => {
        const clipped = e.closest('[clip-path]');
        const id = clipped && clipped.getAttribute('clip-path').match(/#([^)'"]+)/);
        const rect = id && plot.querySelector(`[id="${id[1]}"] rect`);
        let clip = null;
        if (rect) {  // a clipPath is never drawn itself: map its rect through the clipped group's matrix
          const m = clipped.getScreenCTM(), x = +rect.getAttribute('x') || 0, y = +rect.getAttribute('y') || 0;
          const w = +rect.getAttribute('width'), h = +rect.getAttribute('height');
          const p = new DOMPoint(x, y).matrixTransform(m), q = new DOMPoint(x + w, y + h).matrixTransform(m);
          clip = {left: Math.min(p.x, q.x), right: Math.max(p.x, q.x), top: Math.min(p.y, q.y), bottom: Math.max(p.y, q.y)};
        }
        return {t: e.textContent.trim(), r: e.getBoundingClientRect(), clip};
      })
      .filter(x => x.r.width > 0 && x.r.height > 0);
    const title = (plot.closest('[data-testid=stVerticalBlock]')?.querySelector('h3')?.innerText || 'chart ' + i).slice(0, 50);
    texts.forEach((a, j) => {
      if (a.r.left < frame.left - 1 || a.r.right > frame.right + 1 || a.r.top < frame.top - 1 || a.r.bottom > frame.bottom + 1)
        problems.push(`${title}: "${a.t}" is cut by the chart's edge`);
      const c = a.clip;
      if (c && (a.r.left < c.left - 1 || a.r.right > c.right + 1 || a.r.top < c.top - 1 || a.r.bottom > c.bottom + 1))
        problems.push(`${title}: "${a.t}" is cut by the plot area`);
      texts.slice(j + 1).forEach(b => { if (inter(a.r, b.r)) problems.push(`${title}: "${a.t}" overlaps "${b.t}"`); });
    });
  });
  return problems;
}
