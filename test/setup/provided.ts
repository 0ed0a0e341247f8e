// What the global setup provides to every test file (vitest's provide/inject).
import 'vitest';
declare module 'vitest' {
  export interface ProvidedContext {
    azuriteConnectionString: string;
  }
}
