import { I18nProvider } from '../../shared/i18n.js';
import { LocalizedConfig } from '../../shared/localized-config.js';
import { ChatWidget } from './chat-widget.js';

/**
 * The borrower chat at /chat: a page of its own, and the page /widget.js
 * puts in an iframe on the lender's site (`?embed=1` drops the frame).
 */
export function ChatApp() {
  const embedded = new URLSearchParams(window.location.search).has('embed');
  return (
    <I18nProvider>
      <LocalizedConfig>
        {embedded ? (
          <ChatWidget embedded />
        ) : (
          <div
            style={{
              minHeight: '100vh',
              background: '#f0f2f5',
              display: 'flex',
              alignItems: 'center',
              justifyContent: 'center',
              padding: 16,
            }}
          >
            <div style={{ width: 440, height: 680, maxWidth: '100%' }}>
              <ChatWidget embedded={false} />
            </div>
          </div>
        )}
      </LocalizedConfig>
    </I18nProvider>
  );
}
