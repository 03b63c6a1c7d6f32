// LoanDesk chat widget loader. Embed the borrower chat on any page with one
// tag:  <script src="https://loandesk.example.com/widget.js" async></script>
// It adds a floating 在线客服 button that opens the chat (/chat?embed=1 on
// the LoanDesk server this script came from) in an iframe. No cookies, no
// access to the host page: the chat lives entirely inside the frame.
(() => {
  const script = document.currentScript;
  if (!script || window.__loandeskWidget) return;
  window.__loandeskWidget = true;
  const origin = new URL(script.src, window.location.href).origin;
  const label = script.dataset.label || '在线客服';
  const side = script.dataset.position === 'left' ? 'left' : 'right';

  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = label;
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-controls', 'loandesk-chat-frame');
  Object.assign(button.style, {
    position: 'fixed',
    bottom: '24px',
    [side]: '24px',
    zIndex: '2147483000',
    padding: '12px 20px',
    border: 'none',
    borderRadius: '24px',
    background: '#1677ff',
    color: '#fff',
    font: '500 15px/1.2 system-ui, sans-serif',
    boxShadow: '0 6px 16px rgba(0,0,0,0.2)',
    cursor: 'pointer',
  });

  let frame;
  const toggle = () => {
    if (!frame) {
      frame = document.createElement('iframe');
      frame.id = 'loandesk-chat-frame';
      frame.title = label;
      frame.src = `${origin}/chat?embed=1`;
      frame.allow = 'clipboard-write';
      Object.assign(frame.style, {
        position: 'fixed',
        bottom: '84px',
        [side]: '24px',
        width: 'min(400px, calc(100vw - 48px))',
        height: 'min(620px, calc(100vh - 120px))',
        border: '0',
        borderRadius: '12px',
        boxShadow: '0 8px 32px rgba(0,0,0,0.24)',
        zIndex: '2147483000',
        background: '#fff',
      });
      document.body.appendChild(frame);
      button.setAttribute('aria-expanded', 'true');
      return;
    }
    const hidden = frame.style.display === 'none';
    frame.style.display = hidden ? 'block' : 'none';
    button.setAttribute('aria-expanded', String(hidden));
  };
  button.addEventListener('click', toggle);
  const mount = () => document.body.appendChild(button);
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();
