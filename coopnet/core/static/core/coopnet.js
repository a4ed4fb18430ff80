// Behaviour shared by every page, kept out of the HTML so that the content security policy can forbid
// inline script: a <select data-autosubmit> sends its form when it changes.
(function () {
  document.querySelectorAll('select[data-autosubmit]').forEach(select => {
    select.addEventListener('change', () => select.form.submit());
  });
})();

// Data for the scripts of a page comes from `json_script` blocks, never from code written into the page.
window.coopnetData = function (id) {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : null;
};

// A text label for Leaflet tooltips and popups: an element whose text is set as text, so that a name
// such as "<img src=x onerror=...>" is shown as it is written and never read as HTML.
window.coopnetLabel = function (...lines) {
  const box = document.createElement('div');
  lines.forEach((line, i) => {
    if (i) box.appendChild(document.createElement('br'));
    const span = document.createElement(i === 0 && lines.length > 1 ? 'strong' : 'span');
    span.textContent = line;
    box.appendChild(span);
  });
  return box;
};
