/* Swagger UI over the archive's OpenAPI document, from this origin (no inline script). */
(function () {
  "use strict";
  function start() {
    var box = document.getElementById("swagger-ui");
    window.ui = window.SwaggerUIBundle({ url: box.dataset.spec, dom_id: "#swagger-ui" });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
