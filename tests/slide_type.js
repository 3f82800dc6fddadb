() => {
  // Every visible text of a projected slide against its floor at 1280x720, scaled with the height:
  // figures 64px, body 24px, notes and footer 16px, chart text 18px (issue 19).
  const floors = {figure: 64, body: 24, note: 16, chart: 18};
  const k = window.innerHeight / 720;
  const problems = [];
  const main = document.querySelector('[data-testid=stMainBlockContainer]');
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  let node, seen = 0;
  while ((node = walker.nextNode())) {
    const text = node.textContent.trim();
    const el = node.parentElement;
    if (!text || el.closest('style, script, .st-key-slide_controls, .hoverlayer')) continue;
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || getComputedStyle(el).visibility === 'hidden') continue;
    let size = parseFloat(getComputedStyle(el).fontSize), kind = 'body';
    const plot = el.closest('.js-plotly-plot');
    if (plot) {  // drawn for 1280x720 and scaled with the screen: its size on the screen
      const frame = plot.querySelector('.svg-container');
      size *= frame.getBoundingClientRect().width / frame.offsetWidth;
      kind = 'chart';
    } else if (el.closest('[data-testid=stMetricValue]')) kind = 'figure';
    else if (el.closest('.st-key-slide_footer, [data-testid=stCaptionContainer]')) kind = 'note';
    seen += 1;
    if (size < floors[kind] * k - 0.5)
      problems.push(`${kind} "${text.slice(0, 40)}" is ${size.toFixed(1)}px (floor ${(floors[kind] * k).toFixed(1)}px)`);
  }
  return {seen, problems};
}
