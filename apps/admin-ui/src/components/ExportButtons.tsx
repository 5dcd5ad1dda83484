import { useState } from 'react';
import type { Query } from '../api/client';
import { useT, type Messages } from '../i18n/i18n';
import { useApi } from '../session/session';
import { ProblemMessage } from './ProblemMessage';
import { saveBlob } from '../api/save-blob';

const messages: Messages = {
  vi: {
    'export.group': 'Xuất tệp',
    'export.xlsx': 'Tải Excel (XLSX)',
    'export.csv': 'Tải CSV',
    'export.report': 'Tải báo cáo Excel',
    'export.busy': 'Đang chuẩn bị tệp…',
    'export.done': 'Đã tải {name}.',
  },
  en: {
    'export.group': 'Export',
    'export.xlsx': 'Download Excel (XLSX)',
    'export.csv': 'Download CSV',
    'export.report': 'Download Excel report',
    'export.busy': 'Preparing the file…',
    'export.done': 'Downloaded {name}.',
  },
};

type Format = 'xlsx' | 'csv';

/**
 * Buttons that download what the page shows as a file (`…/export?format=`): the request carries
 * the session's token, so the file is fetched and then saved through a temporary object URL.
 * `report`: one button, labelled as the progress report workbook.
 */
export function ExportButtons({ path, query, formats = ['xlsx', 'csv'], report = false }: { path: string; query: Query; formats?: readonly Format[]; report?: boolean }) {
  const t = useT(messages);
  const api = useApi();
  const [busy, setBusy] = useState<Format | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);

  const download = async (format: Format) => {
    setBusy(format);
    setError(null);
    setDone(null);
    try {
      const { blob, fileName } = await api.download(path, { ...query, format });
      const name = fileName ?? `export.${format}`;
      saveBlob(blob, name);
      setDone(name);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="export-buttons" role="group" aria-label={t('export.group')}>
      {formats.map((format) => (
        <button key={format} type="button" className="secondary" disabled={busy !== null} aria-busy={busy === format} onClick={() => void download(format)} data-testid={`export-${format}`}>
          {report ? t('export.report') : t(`export.${format}`)}
        </button>
      ))}
      <span className="export-status" role="status" aria-live="polite">
        {busy ? t('export.busy') : done ? t('export.done', { name: done }) : ''}
      </span>
      <ProblemMessage error={error} />
    </div>
  );
}
