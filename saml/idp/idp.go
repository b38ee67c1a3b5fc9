package idp

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"sync"

	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/binding"
)

// IdP is the identity provider template for credential issuers (issue 3,
// item 2). It is safe for concurrent use.
type IdP struct {
	cfg      *resolved
	sessions SessionStore
	pending  PendingStore
	replay   ReplayCache
	soap     *binding.SOAPClient
	logouts  chains

	mu      sync.RWMutex
	notice  string
	stopped bool
}

// New validates cfg and builds an IdP from a resolved copy of it; cfg is
// not changed.
func New(cfg Config) (*IdP, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	rc, err := resolve(&cfg)
	if err != nil {
		return nil, err
	}
	soap, err := binding.NewSOAPClient(rc.SOAP)
	if err != nil {
		return nil, fmt.Errorf("%w: SOAP: %w", ErrInvalidConfig, err)
	}
	p := &IdP{cfg: rc, sessions: rc.Sessions, pending: rc.Pending, replay: rc.Replay, soap: soap}
	if p.sessions == nil {
		p.sessions = NewMemorySessions(rc.MaxSessions)
	}
	if p.pending == nil {
		p.pending = NewMemoryPending(rc.MaxPending)
	}
	if p.replay == nil {
		p.replay = NewMemoryReplay(rc.MaxReplay)
	}
	return p, nil
}

// Handler returns an http.Handler serving every endpoint under the path of
// Config.BaseURL.
func (p *IdP) Handler() http.Handler {
	mux := http.NewServeMux()
	p.Mount(mux, p.cfg.mountPath)
	return mux
}

// Mount registers the endpoints on mux under prefix (which must be the path
// of Config.BaseURL, e.g. "/saml"), each behind a body size cap:
//
//	GET  prefix/sso        HTTP-Redirect AuthnRequest
//	POST prefix/sso        HTTP-POST AuthnRequest
//	GET, POST prefix/login the Authenticator's round trips
//	GET, POST prefix/slo   LogoutRequest / LogoutResponse (Redirect, POST)
//	POST prefix/slo/soap   back-channel LogoutRequest (SOAP)
//	POST prefix/logout     logout started at the issuer (N14)
//	GET  prefix/metadata   signed IdP metadata
func (p *IdP) Mount(mux *http.ServeMux, prefix string) {
	routes := []struct {
		pattern string
		h       http.HandlerFunc
	}{
		{"GET " + prefix + PathSSO, p.serveSSO},
		{"POST " + prefix + PathSSO, p.serveSSO},
		{"GET " + prefix + PathLogin, p.serveLogin},
		{"POST " + prefix + PathLogin, p.serveLogin},
		{"GET " + prefix + PathSLO, p.serveSLO},
		{"POST " + prefix + PathSLO, p.serveSLO},
		{"POST " + prefix + PathSLOSOAP, p.serveSLOSOAP},
		{"POST " + prefix + PathLogout, p.serveLogout},
		{"GET " + prefix + PathMetadata, p.serveMetadata},
	}
	for _, rt := range routes {
		mux.Handle(rt.pattern, p.limit(rt.h))
	}
}

// limit caps the body and the query of every request.
func (p *IdP) limit(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if int64(len(r.URL.RawQuery)) > 2*p.cfg.MaxBodyBytes {
			p.page(w, r, http.StatusRequestURITooLong, "Request too large", "The request is too large.")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, p.cfg.MaxBodyBytes)
		h.ServeHTTP(w, r)
	})
}

// serveSSO handles an AuthnRequest on either binding.
func (p *IdP) serveSSO(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	req, err := p.ParseAuthnRequest(ctx, r)
	if err == nil {
		if notice, stopped := p.Suspended(); stopped {
			err = refuse(req, saml.StatusResponder, saml.StatusRequestDenied, notice, ErrSuspended)
		}
	} else if notice, stopped := p.Suspended(); stopped {
		p.log(ctx, "sso request refused while suspended", err)
		p.page(w, r, http.StatusServiceUnavailable, "Service suspended", notice)
		return
	}
	if err != nil {
		p.fail(w, r, err)
		return
	}
	if err := p.serveRequest(w, r, req); err != nil {
		p.fail(w, r, err)
	}
}

// serveRequest reuses the SSO session or starts the Authenticator.
func (p *IdP) serveRequest(w http.ResponseWriter, r *http.Request, req *Request) error {
	ctx, ar := r.Context(), req.AuthnRequest
	sess := p.currentSession(r)
	if sess != nil && !ar.ForceAuthn && p.satisfies(sess.LoA, req) {
		authn := &Authentication{Subject: sess.Subject, Attributes: sess.Attributes, LoA: sess.LoA,
			AuthnInstant: sess.AuthnInstant, SessionNotOnOrAfter: sess.NotOnOrAfter}
		return p.issue(w, r, req, authn, sess)
	}
	if ar.IsPassive {
		return refuse(req, saml.StatusResponder, saml.StatusNoPassive, "", ErrNoPassive)
	}
	handle, err := newHandle(p.cfg.Rand)
	if err != nil {
		return err
	}
	if err := p.pending.Put(ctx, handle, req, req.ReceivedAt.Add(p.cfg.PendingLifetime)); err != nil {
		return refuse(req, saml.StatusResponder, "", "", err)
	}
	http.SetCookie(w, p.cookie(p.pendingCookie(), handle, p.cfg.PendingLifetime, false))
	return p.authenticate(w, r, req, handle)
}

// serveLogin resumes the pending request bound to this browser.
func (p *IdP) serveLogin(w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie(p.pendingCookie())
	if err != nil || !validHandle(c.Value) {
		p.fail(w, r, ErrNoPendingRequest)
		return
	}
	req, err := p.pending.Get(r.Context(), c.Value, p.cfg.Now())
	if err != nil {
		p.fail(w, r, err)
		return
	}
	if notice, stopped := p.Suspended(); stopped {
		_ = p.pending.Delete(r.Context(), c.Value)
		p.fail(w, r, refuse(req, saml.StatusResponder, saml.StatusRequestDenied, notice, ErrSuspended))
		return
	}
	if err := p.authenticate(w, r, req, c.Value); err != nil {
		p.fail(w, r, err)
	}
}

// authenticate runs one step of the Authenticator.
func (p *IdP) authenticate(w http.ResponseWriter, r *http.Request, req *Request, handle string) error {
	authn, err := p.cfg.Authenticator.Authenticate(w, r, req)
	if errors.Is(err, ErrInProgress) {
		return nil
	}
	_ = p.pending.Delete(r.Context(), handle)
	p.clearCookie(w, p.pendingCookie(), false)
	switch {
	case errors.Is(err, ErrCancelled):
		return refuse(req, saml.StatusResponder, saml.StatusRequestDenied, "", err)
	case err != nil:
		return refuse(req, saml.StatusResponder, saml.StatusAuthnFailed, "", fmt.Errorf("%w: %w", ErrAuthnFailed, err))
	case authn == nil || authn.Subject.Value == "" || !authn.LoA.Valid():
		return refuse(req, saml.StatusResponder, saml.StatusAuthnFailed, "", fmt.Errorf("%w: incomplete Authentication", ErrAuthnFailed))
	}
	now := p.cfg.Now()
	if authn.AuthnInstant.IsZero() {
		authn.AuthnInstant = now
	}
	if authn.SessionNotOnOrAfter.IsZero() || authn.SessionNotOnOrAfter.After(now.Add(p.cfg.SessionLifetime)) {
		authn.SessionNotOnOrAfter = now.Add(p.cfg.SessionLifetime)
	}
	sess := p.currentSession(r)
	if sess == nil || sess.Subject.Value != authn.Subject.Value || sess.Subject.Format != authn.Subject.Format {
		if sess != nil {
			_ = p.sessions.Delete(r.Context(), sess.ID)
		}
		id, err := newHandle(p.cfg.Rand)
		if err != nil {
			return err
		}
		sess = &Session{ID: id}
	}
	level := authn.LoA
	if sess.LoA.Valid() {
		// Step-up (N12) raises the session's level; a weaker fresh login
		// (ForceAuthn) does not lower it.
		if m, ok := p.cfg.LoA.Mapping().Max(sess.LoA, authn.LoA); ok {
			level = m
		}
	}
	sess.Subject, sess.Attributes, sess.LoA = authn.Subject, authn.Attributes, level
	sess.AuthnInstant, sess.NotOnOrAfter = authn.AuthnInstant, authn.SessionNotOnOrAfter
	return p.issue(w, r, req, authn, sess)
}

// issue makes the response, records the SP as a participant of the
// session and posts the response to the ACS.
func (p *IdP) issue(w http.ResponseWriter, r *http.Request, req *Request, authn *Authentication, sess *Session) error {
	var index string
	var prior *saml.NameID
	if part := sess.participant(req.SP.EntityID); part != nil {
		index, prior = part.SessionIndex, &part.NameID
	}
	is, err := p.makeResponse(req, authn, index, prior)
	if err != nil {
		return err
	}
	if part := sess.participant(req.SP.EntityID); part != nil {
		part.NameID = is.NameID
	} else {
		if len(sess.Participants) >= MaxParticipants {
			return refuse(req, saml.StatusResponder, "", "", ErrTooManySessions)
		}
		sess.Participants = append(sess.Participants, Participant{SP: req.SP.EntityID, NameID: is.NameID, SessionIndex: is.SessionIndex})
	}
	if err := p.sessions.Put(r.Context(), sess, p.cfg.Now()); err != nil {
		return refuse(req, saml.StatusResponder, "", "", err)
	}
	http.SetCookie(w, p.cookie(p.sessionCookie(), sess.ID, sess.NotOnOrAfter.Sub(p.cfg.Now()), true))
	p.cfg.Logger.LogAttrs(r.Context(), slog.LevelInfo, "idp: assertion issued",
		slog.String("sp", req.SP.EntityID), slog.String("request", req.AuthnRequest.ID), slog.String("loa", authn.LoA.String()))
	return WriteResponse(w, is)
}

// currentSession returns the browser's SSO session, or nil.
func (p *IdP) currentSession(r *http.Request) *Session {
	c, err := r.Cookie(p.sessionCookie())
	if err != nil || !validHandle(c.Value) {
		return nil
	}
	s, err := p.sessions.Get(r.Context(), c.Value, p.cfg.Now())
	if err != nil {
		return nil
	}
	return s
}

// fail is the one adapter from errors to what the peer sees: a SAML status
// to a trusted ACS for a *RefusedError, an error page otherwise.
func (p *IdP) fail(w http.ResponseWriter, r *http.Request, err error) {
	ctx := r.Context()
	p.log(ctx, "request failed", err)
	var re *RefusedError
	if errors.As(err, &re) && re.Request != nil {
		is, merr := p.MakeStatusResponse(re.Request, re.Status)
		if merr == nil {
			merr = WriteResponse(w, is)
		}
		if merr == nil {
			return
		}
		p.log(ctx, "status response failed", merr)
		err = merr
	}
	status, title, text := http.StatusBadRequest, "Request refused", "The sign-in request could not be accepted."
	switch {
	case errors.Is(err, ErrSPSuspended), errors.Is(err, ErrSuspended):
		status, title, text = http.StatusServiceUnavailable, "Service suspended", "This service is temporarily suspended."
	case errors.Is(err, ErrUnknownSP), errors.Is(err, ErrSPExpired):
		status, title, text = http.StatusForbidden, "Unknown service", "The service that sent you here is not known to this sign-in service."
	case errors.Is(err, ErrNoPendingRequest), errors.Is(err, ErrSessionNotFound):
		title, text = "Sign-in expired", "Your sign-in has expired. Return to the service and start again."
	case errors.Is(err, ErrTooManyPending), errors.Is(err, ErrTooManySessions):
		status, title, text = http.StatusServiceUnavailable, "Busy", "The sign-in service is busy. Try again later."
	}
	p.page(w, r, status, title, text)
}

func (p *IdP) log(ctx context.Context, msg string, err error) {
	p.cfg.Logger.LogAttrs(ctx, slog.LevelWarn, "idp: "+msg, slog.String("error", err.Error()))
}

var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title></head>
<body><main><h1>{{.Title}}</h1><p>{{.Text}}</p></main></body></html>
`))

// page writes a plain, accessible HTML page with no external assets.
func (p *IdP) page(w http.ResponseWriter, _ *http.Request, status int, title, text string) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = pageTemplate.Execute(w, struct{ Title, Text string }{title, text})
}
