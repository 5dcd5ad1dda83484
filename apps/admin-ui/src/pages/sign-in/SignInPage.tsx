import { useState, type FormEvent } from 'react';
import { ProblemMessage } from '../../components/ProblemMessage';
import { useLocale, useT, type Messages } from '../../i18n/i18n';
import { useSession } from '../../session/session';

const messages: Messages = {
  vi: {
    heading: 'Đăng nhập',
    token: 'Mã truy cập (token)',
    hint: 'Dán mã do quản trị viên cấp (npm run cli -- token …). Khi chạy mặc định, mã quản trị được in ra lúc khởi động lần đầu.',
    submit: 'Đăng nhập',
    checking: 'Đang kiểm tra…',
  },
  en: {
    heading: 'Sign in',
    token: 'Access token',
    hint: 'Paste the token your administrator issued (npm run cli -- token …). In the embedded default, the admin token is printed at first start.',
    submit: 'Sign in',
    checking: 'Checking…',
  },
};

export function SignInPage() {
  const t = useT(messages);
  const { locale, setLocale } = useLocale();
  const { signIn } = useSession();
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(token);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" className="sign-in">
      <div className="card">
        <div className="sign-in-top">
          <h1>{t('app.title')}</h1>
          <button type="button" className="link-button" onClick={() => setLocale(locale === 'vi' ? 'en' : 'vi')}>
            {locale === 'vi' ? 'English' : 'Tiếng Việt'}
          </button>
        </div>
        <h2>{t('heading')}</h2>
        <form onSubmit={submit}>
          <div className="field">
            <label htmlFor="token">{t('token')}</label>
            <textarea id="token" name="token" rows={4} value={token} onChange={(event) => setToken(event.target.value)} required aria-describedby="token-hint" />
            <p id="token-hint" className="hint">
              {t('hint')}
            </p>
          </div>
          <ProblemMessage error={error} />
          <button type="submit" className="primary" disabled={busy || token.trim() === ''}>
            {busy ? t('checking') : t('submit')}
          </button>
        </form>
      </div>
    </main>
  );
}
