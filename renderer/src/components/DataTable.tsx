// The markup around a TanStack table (it computes sorting, filtering and pages; we own HTML and accessibility):
// sortable column headers as buttons with aria-sort, and rows that can be opened with a click or Enter.
import type { ReactNode } from 'react';
import type { Header, ReactTable, Row, RowData, TableFeatures } from '@tanstack/react-table';
import { useApp } from '../state/app-context.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any selected state slice
type AnyTable<F extends TableFeatures, TData extends RowData> = ReactTable<F, TData, any>;

function SortHeader<F extends TableFeatures, TData extends RowData>({ table, header }: { table: AnyTable<F, TData>; header: Header<F, TData, unknown> }) {
  const { t } = useApp();
  const column = header.column as typeof header.column & { getCanSort?: () => boolean; getIsSorted?: () => false | 'asc' | 'desc'; getToggleSortingHandler?: () => ((e: unknown) => void) | undefined };
  const label = <table.FlexRender header={header} />;
  const sorted = column.getIsSorted?.() ?? false;
  const title = typeof header.column.columnDef.header === 'string' ? header.column.columnDef.header : header.column.id;
  const help = (header.column.columnDef.meta as { help?: string } | undefined)?.help;
  return (
    <th scope="col" aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'} title={help}>
      {column.getCanSort?.() ? (
        <button type="button" onClick={column.getToggleSortingHandler?.()} aria-label={t('sortBy', { column: title })}>{label}</button>
      ) : label}
    </th>
  );
}

export function DataTable<F extends TableFeatures, TData extends RowData>({ table, testId, className, rowProps, onOpen }: {
  table: AnyTable<F, TData>;
  testId: string;
  className?: string;
  rowProps?: (row: Row<F, TData>) => Record<string, string | undefined>;
  /** Makes each row open something (a passage): click or Enter. */
  onOpen?: (row: Row<F, TData>) => void;
}) {
  return (
    <table className={className} data-testid={testId}>
      <thead>
        {table.getHeaderGroups().map((group) => (
          <tr key={group.id}>{group.headers.map((h) => <SortHeader key={h.id} table={table} header={h} />)}</tr>
        ))}
      </thead>
      <tbody>
        {table.getRowModel().rows.map((row) => (
          <tr key={row.id} {...rowProps?.(row)} {...(onOpen ? {
            className: `${rowProps?.(row).className ?? ''} openable`.trim(), tabIndex: 0, onClick: () => onOpen(row),
            onKeyDown: (e: { key: string }) => { if (e.key === 'Enter') onOpen(row); },
          } : {})}>
            {row.getAllCells().map((cell) => (
              <td key={cell.id} className={(cell.column.columnDef.meta as { className?: string } | undefined)?.className}>
                <table.FlexRender cell={cell} />
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Page controls for a table with rowPaginationFeature: first/previous/next/last, the range shown, rows per page. */
export function Pager({ page, pages, from, to, total, size, sizes, onPage, onSize }: {
  page: number; pages: number; from: number; to: number; total: number; size: number; sizes: number[];
  onPage(page: number): void; onSize(size: number): void;
}): ReactNode {
  const { t } = useApp();
  return (
    <div className="pager" data-testid="pager">
      <button type="button" onClick={() => onPage(0)} disabled={page === 0} aria-label={t('firstPage')}>«</button>
      <button type="button" onClick={() => onPage(page - 1)} disabled={page === 0} aria-label={t('previousPage')}>‹</button>
      <span data-testid="pager-range">{t('pageRange', { from, to, total, page: page + 1, pages: Math.max(1, pages) })}</span>
      <button type="button" onClick={() => onPage(page + 1)} disabled={page + 1 >= pages} aria-label={t('nextPage')}>›</button>
      <button type="button" onClick={() => onPage(pages - 1)} disabled={page + 1 >= pages} aria-label={t('lastPage')}>»</button>
      <label>
        {t('rowsPerPage')}{' '}
        <select value={size} onChange={(e) => onSize(Number(e.target.value))}>
          {sizes.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
      </label>
    </div>
  );
}
