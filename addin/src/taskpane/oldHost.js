/* ES5 on purpose, loaded by every page before office.js. Office 2019 and older perpetual
   (volume-licensed) Office hosts add-ins in Trident (IE 11) or EdgeHTML, which cannot parse the
   add-in's bundles (ES2020): say so in Chinese instead of hanging on the loading text. Chromium Edge
   says "Edg/", not "Edge/". commands.html reads window.__dubanOldHost to answer its buttons. */
(function () {
  var ua = window.navigator.userAgent;
  if (!/Trident\/|MSIE |Edge\/\d/.test(ua)) return;
  var message =
    '督办加载项不支持此版本的 Office（Office 2019 及更早的批量授权版使用的旧浏览器内核）。' +
    '请使用 Microsoft 365 或 Excel 网页版打开本工作簿。';
  window.__dubanOldHost = message;
  document.addEventListener('DOMContentLoaded', function () {
    var app = document.getElementById('app');
    if (app) app.textContent = message;
  });
})();
