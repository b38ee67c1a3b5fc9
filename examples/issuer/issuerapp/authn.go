package issuerapp

import (
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/eidkit/eidkit/loa"
	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/idp"
)

// Limits of the login flow.
const (
	// maxAttempts is how many wrong passwords or codes one sign-in
	// tolerates before the e-service is told AuthnFailed.
	maxAttempts = 5
	// maxLogins caps sign-ins in progress held in memory.
	maxLogins = 10_000
	// loginLifetime bounds one sign-in in progress (as the IdP's pending
	// request does).
	loginLifetime = idp.DefaultPendingLifetime
)

// login is the state of one sign-in in progress: the anti-forgery token of
// its forms, the user once the password matched, and failed attempts. The
// IdP binds the request to the browser with its pending cookie, so the
// request's SP and ID are a safe key.
type login struct {
	mu       sync.Mutex
	token    string
	user     *user
	attempts int
	expires  time.Time
}

// authenticator is the issuer's idp.Authenticator: a password form (LoA
// substantial) and, when the request demands more, a TOTP code (LoA high)
// for users who have one.
type authenticator struct {
	dir       *directory
	loa       *loa.Registry
	now       func() time.Time
	rand      io.Reader
	log       *slog.Logger
	showCodes io.Writer // nil: never print codes

	mu     sync.Mutex
	logins map[string]*login
}

var _ idp.Authenticator = (*authenticator)(nil)

// Authenticate implements idp.Authenticator.
func (a *authenticator) Authenticate(w http.ResponseWriter, r *http.Request, req *idp.Request) (*idp.Authentication, error) {
	key := req.SP.EntityID + "\x00" + req.AuthnRequest.ID
	st, err := a.state(key)
	if err != nil {
		return nil, err
	}
	if !a.isFormPost(r, req) {
		return nil, a.render(w, req, st, "")
	}
	if subtle.ConstantTimeCompare([]byte(r.PostFormValue("token")), []byte(st.token)) != 1 {
		a.log.Warn("issuer: login form without a valid token", "sp", req.SP.EntityID)
		return nil, a.render(w, req, st, "The form has expired. Please try again.")
	}
	if r.PostFormValue("cancel") != "" {
		a.drop(key)
		return nil, idp.ErrCancelled
	}
	authn, msg, err := a.step(r, req, st)
	switch {
	case err != nil:
		a.drop(key)
		return nil, err
	case authn != nil:
		a.drop(key)
		return authn, nil
	}
	return nil, a.render(w, req, st, msg)
}

// step processes one posted form: it returns an Authentication when done,
// a message to show with the next form, or an error ending the sign-in.
func (a *authenticator) step(r *http.Request, req *idp.Request, st *login) (*idp.Authentication, string, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.user == nil {
		if r.PostFormValue("step") != "password" {
			return nil, "", nil
		}
		u, err := a.dir.checkPassword(r.PostFormValue("username"), r.PostFormValue("password"), a.now())
		if err != nil {
			return a.failed(st, "Wrong username or password.", err)
		}
		if a.satisfies(passwordLevel, req) || u.totp == nil {
			// A user without a second factor gets passwordLevel; if the
			// request wants more, the IdP answers NoAuthnContext.
			return a.authentication(u, passwordLevel), "", nil
		}
		st.user, st.attempts = u, 0
		a.printCode(u)
		return nil, "", nil
	}
	if r.PostFormValue("step") != "code" {
		return nil, "", nil
	}
	if err := st.user.totp.verify(r.PostFormValue("code"), a.now()); err != nil {
		return a.failed(st, "That code was not accepted. Enter the current code.", err)
	}
	return a.authentication(st.user, secondFactorLevel), "", nil
}

// failed counts a failed attempt; after maxAttempts the sign-in ends.
func (a *authenticator) failed(st *login, msg string, cause error) (*idp.Authentication, string, error) {
	st.attempts++
	if st.attempts >= maxAttempts {
		return nil, "", fmt.Errorf("%w (%d): %w", ErrTooManyAttempts, st.attempts, cause)
	}
	return nil, msg, nil
}

// satisfies reports whether level meets every requirement of the request.
func (a *authenticator) satisfies(level loa.Level, req *idp.Request) bool {
	for _, want := range req.Requirements {
		if !a.loa.Satisfies(level, want) {
			return false
		}
	}
	return true
}

func (a *authenticator) authentication(u *user, level loa.Level) *idp.Authentication {
	// The subject is the OIB in the unspecified format: an e-service that
	// asks for a persistent NameID (the demo one does) gets a pairwise
	// pseudonym derived per e-service (idp.Config.PersistentIDKey) instead.
	return &idp.Authentication{
		Subject:      saml.NameID{Value: u.oib, Format: saml.NameIDFormatUnspecified},
		Attributes:   slices.Clone(u.attrs),
		LoA:          level,
		AuthnInstant: a.now(),
	}
}

// printCode shows the current code on the console when -show-codes is on,
// standing in for the user's authenticator app.
func (a *authenticator) printCode(u *user) {
	if a.showCodes == nil {
		return
	}
	if code, err := Code(base32NoPad.EncodeToString(u.totp.key), a.now()); err == nil {
		fmt.Fprintf(a.showCodes, "demo (-show-codes): current one-time code for %s is %s\n", u.name, code)
	}
}

// isFormPost reports whether r is a POST of one of our forms to the login
// endpoint (the first call is the SSO request itself).
func (a *authenticator) isFormPost(r *http.Request, req *idp.Request) bool {
	u, err := url.Parse(req.LoginURL)
	return err == nil && r.Method == http.MethodPost && r.URL.Path == u.Path
}

// state returns the sign-in state under key, creating it.
func (a *authenticator) state(key string) (*login, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now()
	if st, ok := a.logins[key]; ok && now.Before(st.expires) {
		return st, nil
	}
	if len(a.logins) >= maxLogins {
		for k, st := range a.logins {
			if !now.Before(st.expires) {
				delete(a.logins, k)
			}
		}
		if len(a.logins) >= maxLogins {
			return nil, ErrBusy
		}
	}
	tok := make([]byte, 24)
	if _, err := io.ReadFull(a.rand, tok); err != nil {
		return nil, err
	}
	st := &login{token: base64.RawURLEncoding.EncodeToString(tok), expires: now.Add(loginLifetime)}
	a.logins[key] = st
	return st, nil
}

func (a *authenticator) drop(key string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.logins, key)
}

// render writes the form for the current step and reports ErrInProgress.
func (a *authenticator) render(w http.ResponseWriter, req *idp.Request, st *login, msg string) error {
	st.mu.Lock()
	data := formData{Title: "Sign in", Action: req.LoginURL, Token: st.token, Error: msg, SP: req.SP.EntityID,
		Level: levelName(a.minimumWanted(req)), Demo: demoHints}
	if st.user != nil {
		data.Step, data.Username = "code", st.user.name
	} else {
		data.Step = "password"
	}
	st.mu.Unlock()
	if err := writePage(w, http.StatusOK, loginTemplate, data); err != nil {
		return err
	}
	return idp.ErrInProgress
}

// minimumWanted is the lowest level that satisfies the request, for the
// page ("this service asks for ...").
func (a *authenticator) minimumWanted(req *idp.Request) loa.Level {
	if a.satisfies(passwordLevel, req) {
		return passwordLevel
	}
	return secondFactorLevel
}
