/**
 * Strings that try to be code where a text is expected. The script ones set
 * `window.__outpostPwned` if they ever run, which the browser check reads.
 */
export const INJECTIONS: Readonly<Record<string, string>> = {
  sql: "Robert'); DROP TABLE sale;-- ' OR '1'='1",
  script: '<script>window.__outpostPwned="script"</script>',
  img: '<img src=x onerror="window.__outpostPwned=\'img\'">',
  svg: '"><svg onload=window.__outpostPwned="svg">',
  json: '{"__proto__":{"admin":true}}"}],"role":"manager',
  format: '%s%n%x%d {0} ${7*7} {{7*7}}',
  nul: 'before\u0000after',
  rtl: 'Ann \u202Egnp.exe\u202C Lee',
};

/** Elements a payload would have made had the screen parsed it as HTML. */
export const INJECTED_SELECTOR = 'img[src="x"], svg[onload], script:not([src])';
