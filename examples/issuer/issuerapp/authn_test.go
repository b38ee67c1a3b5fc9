package issuerapp

import (
	"crypto/rand"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/eidkit/eidkit/account/password"
	"github.com/eidkit/eidkit/loa"
	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/idp"
	"github.com/eidkit/eidkit/saml/partner"
	"github.com/stretchr/testify/require"
)

var testNow = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// cheapHashes keeps argon2id but at a cost fit for fuzzing; the
// production default is tested through Serve (TestRun) and examples/e2e.
var cheapHashes = password.Config{MemoryKiB: 64, Time: 1}

func newTestAuthenticator(t testing.TB) *authenticator {
	t.Helper()
	dir, err := newDirectory(t.TempDir(), nil, cheapHashes)
	require.NoError(t, err)
	reg, err := loa.New(loa.RegistryConfig{})
	require.NoError(t, err)
	return &authenticator{dir: dir, loa: reg, now: func() time.Time { return testNow }, rand: rand.Reader,
		log: slog.New(slog.DiscardHandler), logins: map[string]*login{}}
}

func testRequest(level loa.Level) *idp.Request {
	return &idp.Request{
		AuthnRequest: &saml.AuthnRequest{ID: "_req1"},
		SP:           &partner.Partner{EntityID: "http://127.0.0.1:8443/saml/metadata"},
		LoginURL:     "http://127.0.0.1:8444/saml/login",
		Requirements: []loa.Requested{loa.Minimum(level)},
	}
}

var tokenRE = regexp.MustCompile(`name="token" value="([^"]+)"`)

// start runs the first Authenticate call (the SSO request) and returns the
// form token from the page.
func start(t testing.TB, a *authenticator, req *idp.Request) string {
	t.Helper()
	w := httptest.NewRecorder()
	_, err := a.Authenticate(w, httptest.NewRequest(http.MethodGet, "http://127.0.0.1:8444/saml/sso?SAMLRequest=x", nil), req)
	require.ErrorIs(t, err, idp.ErrInProgress)
	m := tokenRE.FindStringSubmatch(w.Body.String())
	require.NotNil(t, m, w.Body.String())
	return html.UnescapeString(m[1])
}

func postForm(a *authenticator, req *idp.Request, vals url.Values) (*idp.Authentication, string, error) {
	r := httptest.NewRequest(http.MethodPost, req.LoginURL, strings.NewReader(vals.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	authn, err := a.Authenticate(w, r, req)
	return authn, w.Body.String(), err
}

// TestAuthenticator walks the password and code forms: the second factor
// is asked only when the request needs high (N12), failures keep the
// sign-in open until maxAttempts, cancel ends it.
func TestAuthenticator(t *testing.T) {
	a := newTestAuthenticator(t)
	code, err := Code(base32NoPad.EncodeToString(a.dir.users[DemoUserIvan].totp.key), testNow)
	require.NoError(t, err)
	pw := func(u, p string) url.Values {
		return url.Values{"step": {"password"}, "username": {u}, "password": {p}}
	}
	type step struct {
		form      url.Values
		wantErr   error // nil: authenticated
		wantLevel loa.Level
		wantBody  string
	}
	tests := []struct {
		name  string
		level loa.Level
		steps []step
	}{
		{"ana substantial", passwordLevel, []step{{form: pw("ana", DemoPasswordAna), wantLevel: passwordLevel}}},
		{"ivan substantial: no code asked", passwordLevel, []step{{form: pw("ivan", DemoPasswordIvan), wantLevel: passwordLevel}}},
		{"ivan high", secondFactorLevel, []step{
			{form: pw("ivan", DemoPasswordIvan), wantErr: idp.ErrInProgress, wantBody: `name="step" value="code"`},
			{form: url.Values{"step": {"code"}, "code": {"000000"}}, wantErr: idp.ErrInProgress, wantBody: "That code was not accepted."},
			{form: url.Values{"step": {"code"}, "code": {code}}, wantLevel: secondFactorLevel},
		}},
		{"ana high: password level only, the IdP refuses it", secondFactorLevel, []step{{form: pw("ana", DemoPasswordAna), wantLevel: passwordLevel}}},
		{"wrong password", passwordLevel, []step{{form: pw("ana", "nope"), wantErr: idp.ErrInProgress, wantBody: "Wrong username or password."}}},
		{"unknown user", passwordLevel, []step{{form: pw("mallory", DemoPasswordAna), wantErr: idp.ErrInProgress, wantBody: "Wrong username or password."}}},
		{"another user's password", passwordLevel, []step{{form: pw("ana", DemoPasswordIvan), wantErr: idp.ErrInProgress, wantBody: `role="alert"`}}},
		{"code before password", secondFactorLevel, []step{{form: url.Values{"step": {"code"}, "code": {code}}, wantErr: idp.ErrInProgress, wantBody: `name="step" value="password"`}}},
		{"cancel", passwordLevel, []step{{form: url.Values{"cancel": {"1"}}, wantErr: idp.ErrCancelled}}},
		{"too many failures", passwordLevel, []step{
			{form: pw("ana", "1"), wantErr: idp.ErrInProgress}, {form: pw("ana", "2"), wantErr: idp.ErrInProgress},
			{form: pw("ana", "3"), wantErr: idp.ErrInProgress}, {form: pw("ana", "4"), wantErr: idp.ErrInProgress},
			{form: pw("ana", DemoPasswordAna+"5"), wantErr: ErrTooManyAttempts},
		}},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := testRequest(tc.level)
			req.AuthnRequest.ID = "_req" + string(rune('a'+i))
			tok := start(t, a, req)
			for _, s := range tc.steps {
				s.form.Set("token", tok)
				authn, body, err := postForm(a, req, s.form)
				if s.wantErr != nil {
					require.ErrorIs(t, err, s.wantErr)
					require.Nil(t, authn)
					require.Contains(t, body, s.wantBody)
					continue
				}
				require.NoError(t, err)
				require.Equal(t, s.wantLevel, authn.LoA)
				require.Equal(t, saml.NameIDFormatUnspecified, authn.Subject.Format)
				require.True(t, validOIB(authn.Subject.Value), authn.Subject.Value)
				require.Empty(t, body, "nothing written on success")
			}
			a.mu.Lock()
			defer a.mu.Unlock()
			if last := tc.steps[len(tc.steps)-1].wantErr; last == nil || last == idp.ErrCancelled || last == ErrTooManyAttempts {
				require.NotContains(t, a.logins, req.SP.EntityID+"\x00"+req.AuthnRequest.ID, "finished sign-ins are dropped")
			}
		})
	}
}

// TestAuthenticatorToken: a form posted without this sign-in's token
// (login CSRF) is not processed, even with the right password.
func TestAuthenticatorToken(t *testing.T) {
	a := newTestAuthenticator(t)
	req := testRequest(passwordLevel)
	start(t, a, req)
	for _, tok := range []string{"", "forged"} {
		authn, body, err := postForm(a, req, url.Values{"token": {tok}, "step": {"password"}, "username": {"ana"}, "password": {DemoPasswordAna}})
		require.ErrorIs(t, err, idp.ErrInProgress)
		require.Nil(t, authn)
		require.Contains(t, body, "The form has expired.")
	}
}

// TestDemoUsers: valid OIBs and both kinds of attribute names.
func TestDemoUsers(t *testing.T) {
	a := newTestAuthenticator(t)
	for _, u := range a.dir.users {
		require.True(t, validOIB(u.oib), u.name)
		names := map[string]int{}
		for _, at := range u.attrs {
			names[at.Name] = len(at.Values)
		}
		for _, n := range []string{"oib", "ime", "prezime", "dat_rod", "http://eidas.europa.eu/attributes/naturalperson/PersonIdentifier"} {
			require.Positive(t, names[n], "%s lacks %s", u.name, n)
		}
	}
	require.Equal(t, 2, len(a.dir.users[DemoUserAna].attrs[1].Values), "ana has two given names")
	require.Nil(t, a.dir.users[DemoUserAna].totp)
	require.NotNil(t, a.dir.users[DemoUserIvan].totp)
}

// FuzzLoginForm posts arbitrary form values to a sign-in in progress: no
// panic, and no authentication without the right password.
func FuzzLoginForm(f *testing.F) {
	a := newTestAuthenticator(f)
	f.Add("password", "ana", "wrong", "", "")
	f.Add("code", "ivan", "", "123456", "")
	f.Add("password", "ana\x00", DemoPasswordAna+"\x00", "", "")
	f.Add("", "", "", "", "1")
	f.Fuzz(func(t *testing.T, step, username, password, code, cancel string) {
		req := testRequest(secondFactorLevel)
		defer a.drop(req.SP.EntityID + "\x00" + req.AuthnRequest.ID)
		tok := start(t, a, req)
		form := url.Values{"token": {tok}, "step": {step}, "username": {username}, "password": {password}, "code": {code}, "cancel": {cancel}}
		authn, _, err := postForm(a, req, form)
		if authn != nil {
			known := (username == DemoUserAna && password == DemoPasswordAna) || (username == DemoUserIvan && password == DemoPasswordIvan)
			require.True(t, known && cancel == "", "authenticated %q/%q", username, password)
		}
		if err != nil {
			require.Nil(t, authn)
		}
	})
}

// validOIB checks the ISO 7064 MOD 11,10 check digit of an OIB.
func validOIB(oib string) bool {
	if len(oib) != 11 {
		return false
	}
	a := 10
	for i := range 10 {
		c := oib[i]
		if c < '0' || c > '9' {
			return false
		}
		a = (a + int(c-'0')) % 10
		if a == 0 {
			a = 10
		}
		a = a * 2 % 11
	}
	check := 11 - a
	if check == 10 {
		check = 0
	}
	return oib[10] == byte('0'+check)
}

// TestShowCodes: with -show-codes the current code goes to the console
// when the code form is shown, and nowhere without it.
func TestShowCodes(t *testing.T) {
	for _, show := range []bool{false, true} {
		a := newTestAuthenticator(t)
		var out strings.Builder
		if show {
			a.showCodes = &out
		}
		req := testRequest(secondFactorLevel)
		tok := start(t, a, req)
		_, _, err := postForm(a, req, url.Values{"token": {tok}, "step": {"password"}, "username": {DemoUserIvan}, "password": {DemoPasswordIvan}})
		require.ErrorIs(t, err, idp.ErrInProgress)
		code, err := Code(base32NoPad.EncodeToString(a.dir.users[DemoUserIvan].totp.key), testNow)
		require.NoError(t, err)
		if show {
			require.Equal(t, "demo (-show-codes): current one-time code for ivan is "+code+"\n", out.String())
		} else {
			require.Empty(t, out.String())
		}
	}
}

// TestLockout: lockoutFailures wrong passwords lock the account for
// lockoutPeriod, even for the right password; then it opens again.
func TestLockout(t *testing.T) {
	a := newTestAuthenticator(t)
	for i := range lockoutFailures {
		_, err := a.dir.checkPassword(DemoUserAna, "wrong", testNow)
		require.ErrorIs(t, err, password.ErrMismatch, "attempt %d", i)
	}
	_, err := a.dir.checkPassword(DemoUserAna, DemoPasswordAna, testNow.Add(lockoutPeriod-time.Second))
	require.ErrorIs(t, err, ErrLocked)
	_, err = a.dir.checkPassword(DemoUserIvan, DemoPasswordIvan, testNow)
	require.NoError(t, err, "other accounts are not affected")
	u, err := a.dir.checkPassword(DemoUserAna, DemoPasswordAna, testNow.Add(lockoutPeriod))
	require.NoError(t, err)
	require.Equal(t, DemoUserAna, u.name)
}
