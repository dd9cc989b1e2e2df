import { textWidth, truncateText } from './text-width.js';

/** A table cell: plain text, or text with a style (colour) applied after width is measured. */
export type Cell = string | { text: string; style?: (text: string) => string };

/** One column: header, alignment and an optional maximum width (longer cells end with `…`). */
export interface Column {
  header: string;
  align?: 'left' | 'right';
  maxWidth?: number;
}

/** Options of `renderTable`. */
export interface TableOptions {
  /** Style of the header row (e.g. bold). */
  headerStyle?: (text: string) => string;
  /** Text before every line. @default '' */
  indent?: string;
  /** Between columns. @default '  ' */
  gap?: string;
}

function textOf(cell: Cell | undefined): string {
  if (cell == null) return '';
  return (typeof cell === 'string' ? cell : cell.text).replace(/\s*\n\s*/g, ' ');
}

/**
 * Renders rows as aligned columns (widths in terminal columns, wide characters counted twice), one string
 * ending with a newline. Colours never disturb alignment: they are applied after padding is computed.
 */
export function renderTable(
  columns: readonly Column[],
  rows: readonly (readonly Cell[])[],
  options: TableOptions = {},
): string {
  const indent = options.indent ?? '';
  const gap = options.gap ?? '  ';
  const texts = rows.map((row) =>
    columns.map((column, index) => {
      const text = textOf(row[index]);
      return column.maxWidth != null ? truncateText(text, column.maxWidth) : text;
    }),
  );
  const widths = columns.map((column, index) =>
    Math.max(textWidth(column.header), ...texts.map((row) => textWidth(row[index] ?? ''))),
  );
  const line = (cells: readonly string[], styles: readonly (((text: string) => string) | undefined)[]) => {
    const parts = columns.map((column, index) => {
      const text = cells[index] ?? '';
      const pad = ' '.repeat(Math.max(0, (widths[index] ?? 0) - textWidth(text)));
      const styled = styles[index]?.(text) ?? text;
      const last = index === columns.length - 1;
      if (column.align === 'right') return pad + styled;
      return last ? styled : styled + pad;
    });
    return `${indent}${parts.join(gap)}`.trimEnd();
  };
  const header = line(
    columns.map((column) => column.header),
    columns.map(() => options.headerStyle),
  );
  const body = texts.map((cells, rowIndex) =>
    line(
      cells,
      columns.map((_, index) => {
        const cell = rows[rowIndex]?.[index];
        return cell != null && typeof cell !== 'string' ? cell.style : undefined;
      }),
    ),
  );
  return `${[header, ...body].join('\n')}\n`;
}
