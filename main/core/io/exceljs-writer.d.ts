/** exceljs's streaming writer by its own path (see exceljs-adapter.ts); typed there from the package's declarations. */
declare module 'exceljs/lib/stream/xlsx/workbook-writer.js' {
  const WorkbookWriter: unknown;
  export default WorkbookWriter;
}
