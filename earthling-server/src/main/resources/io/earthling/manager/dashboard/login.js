// The token goes in a POST body only; the answer sets an HttpOnly cookie that scripts cannot read.
document.getElementById('login').addEventListener('submit', async e => {
  e.preventDefault();
  const r = await fetch('/login', {
    method: 'POST', credentials: 'same-origin',
    headers: {'Content-Type': 'application/json', 'X-Earthling-Request': '1'},
    body: JSON.stringify({token: document.getElementById('token').value})
  });
  if (r.ok) {
    location.replace('/');
  } else {
    const err = document.getElementById('login-error');
    err.textContent = 'Wrong token.';
    err.hidden = false;
  }
});
