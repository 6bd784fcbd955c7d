// Starts Swagger UI on /api/docs from the container's data-* attributes (no inline script under the CSP).
(function () {
  "use strict";
  function start() {
    var box = document.getElementById("swagger-ui-container");
    if (!box || typeof SwaggerUIBundle === "undefined") return;
    var config = Object.assign({ url: box.dataset.specUrl, dom_id: "#swagger-ui-container" },
                               JSON.parse(box.dataset.config || "{}"));
    window.ui = SwaggerUIBundle(config);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
