/** The simulator's demo data: a deterministic, streaming ERPNext v15 retail company. */
export { demoSeed, type SeedTable } from './demo.js';
export { ean13CheckDigit, isValidEan13, weighedEan13 } from './ean.js';
export type { SeedDoc } from './record.js';
export { HERO } from './heroes.js';
export { companyAccountDefaults } from './org.js';
export * as SeedNames from './names.js';
