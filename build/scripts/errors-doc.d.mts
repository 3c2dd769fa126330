// Types of errors-doc.mjs for the TypeScript tests that import it.
export function errorCodes(root: string): Promise<Map<string, string>>;
export function englishCatalogue(root: string): Promise<Record<string, string>>;
export function renderErrorsDoc(root: string): Promise<string>;
