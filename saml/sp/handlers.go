package sp

import (
	"errors"
	"html/template"
	"net/http"

	"github.com/eidkit/eidkit/saml/binding"
)

// Mount registers the SP's endpoints on mux under the path of
// Config.BaseURL, with method patterns:
//
//	GET  {base}/login      start a login at the default level
//	POST {base}/logout     start single logout (POST only: the session cookie is
//	                       SameSite=Lax, so a cross-site page cannot end a session)
//	POST {base}/acs        assertion consumer service (HTTP-POST)
//	GET  {base}/slo        single logout, HTTP-Redirect (requests and responses)
//	POST {base}/slo        single logout, HTTP-POST
//	POST {base}/slo/soap   back-channel single logout, SOAP
//	GET  {base}/metadata   signed SP metadata
//
// Every endpoint is wrapped by a body size cap (http.MaxBytesHandler).
func (sp *SP) Mount(mux *http.ServeMux) {
	b := sp.cfg.basePath
	mux.Handle("GET "+b+"/login", sp.browser(sp.serveLogin))
	mux.Handle("POST "+b+"/logout", sp.browser(sp.StartLogout))
	mux.Handle("POST "+b+"/acs", sp.browser(sp.serveACS))
	mux.Handle("GET "+b+"/slo", sp.browser(sp.serveSLORedirect))
	mux.Handle("POST "+b+"/slo", sp.browser(sp.serveSLOPost))
	mux.Handle("POST "+b+"/slo/soap", sp.capped(http.HandlerFunc(sp.serveSLOSOAP)))
	mux.Handle("GET "+b+"/metadata", sp.browser(sp.serveMetadata))
}

// Handler returns a new ServeMux with the SP's endpoints mounted.
func (sp *SP) Handler() http.Handler {
	mux := http.NewServeMux()
	sp.Mount(mux)
	return mux
}

// handlerFunc is an endpoint that returns its error as a value; browser maps
// it to an error page.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

func (sp *SP) capped(h http.Handler) http.Handler {
	inner := http.MaxBytesHandler(h, sp.cfg.maxBody)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if int64(len(r.URL.RawQuery)) > sp.cfg.maxBody {
			sp.errorPage(w, r, &binding.LimitError{What: "query string", Max: sp.cfg.maxBody})
			return
		}
		inner.ServeHTTP(w, r)
	})
}

// browser adapts a handlerFunc: a returned error is logged with its reason
// and answered with a plain HTML error page that reveals nothing of it.
func (sp *SP) browser(h handlerFunc) http.Handler {
	return sp.capped(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			sp.errorPage(w, r, err)
		}
	}))
}

var errorTemplate = template.Must(template.New("error").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title></head>
<body><main><h1>{{.Title}}</h1><p>{{.Message}}</p>{{if .Notice}}<p role="note">{{.Notice}}</p>{{end}}
<p><a href="{{.Home}}">Return to the start page</a></p></main></body></html>
`))

// errorPage writes the error page for err; the reason goes to the log only.
func (sp *SP) errorPage(w http.ResponseWriter, r *http.Request, err error) {
	status, title, msg := http.StatusBadRequest, "Sign-in failed", "The sign-in message could not be accepted. Please start again."
	var notice string
	var susp *SuspendedError
	switch {
	case errors.As(err, &susp):
		status, title, msg, notice = http.StatusServiceUnavailable, "Sign-in unavailable", "Signing in is temporarily suspended.", susp.Notice
	case errors.Is(err, ErrIdPSuspended), errors.Is(err, ErrIdPExpired), errors.Is(err, ErrUnknownIdP), errors.Is(err, ErrNoEndpoint):
		status, title, msg = http.StatusServiceUnavailable, "Sign-in unavailable", "The identity provider is not available right now."
	case errors.Is(err, ErrStatus):
		status, msg = http.StatusUnauthorized, "The identity provider did not sign you in."
	case errors.Is(err, binding.ErrTooLarge):
		status = http.StatusRequestEntityTooLarge
	case errors.Is(err, ErrLogout):
		title = "Sign-out failed"
	}
	sp.cfg.log.WarnContext(r.Context(), "sp: request refused", "path", r.URL.Path, "status", status, "error", err)
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = errorTemplate.Execute(w, struct{ Title, Message, Notice, Home string }{title, msg, notice, sp.cfg.returnPath})
}

func (sp *SP) serveLogin(w http.ResponseWriter, r *http.Request) error {
	return sp.StartLogin(w, r, LoginOptions{ReturnPath: r.URL.Query().Get("return")})
}

// ParseResponse reads a Response posted to the ACS (HTTP-POST binding),
// consumes the outstanding request state bound to this browser (the cookie
// named by RelayState, or all of them when the IdP sent no RelayState) and
// runs ValidateResponse. It returns the identity and the local return path
// stored with the request.
func (sp *SP) ParseResponse(w http.ResponseWriter, r *http.Request) (*Identity, string, error) {
	msg, err := binding.DecodePOST(r, sp.bindingLimits())
	if err != nil {
		return nil, "", failCause(ErrMalformed, "ACS/POST", err)
	}
	if msg.Param != binding.ParamResponse {
		return nil, "", fail(ErrMalformed, "ACS/POST", "SAMLRequest sent to the ACS")
	}
	states, err := sp.takeRequest(w, r, msg.RelayState)
	if err != nil {
		// An IdP-initiated response may carry the IdP's own RelayState; it
		// is never used as a redirect target and binds nothing.
		if !sp.cfg.AllowUnsolicited || !(errors.Is(err, ErrRelayState) || errors.Is(err, ErrUnknownRequest)) {
			return nil, "", err
		}
		states = nil
	}
	out := make([]Outstanding, 0, len(states))
	for _, s := range states {
		lvl, err := sp.loa.ParseClassRef(s.st.Level)
		if err != nil {
			continue
		}
		out = append(out, Outstanding{ID: s.st.ID, Level: lvl})
	}
	id, err := sp.ValidateResponse(r.Context(), msg.XML, out...)
	if err != nil {
		return nil, "", err
	}
	ret := sp.cfg.returnPath
	for _, s := range states {
		if s.st.ID == id.RequestID {
			if msg.RelayState == "" {
				sp.clearCookie(w, s.name, true)
			}
			if isLocalPath(s.st.Return) {
				ret = s.st.Return
			}
		}
	}
	return id, ret, nil
}

func (sp *SP) serveACS(w http.ResponseWriter, r *http.Request) error {
	id, ret, err := sp.ParseResponse(w, r)
	if err != nil {
		return err
	}
	if err := sp.Login(w, r, id); err != nil {
		return err
	}
	sp.cfg.log.InfoContext(r.Context(), "sp: login", "issuer", id.Issuer, "assertion_id", id.AssertionID, "level", id.LoA.String())
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, ret, http.StatusSeeOther)
	return nil
}

// Login starts the application session for id (Config.Sessions) and runs
// Config.OnLogin.
func (sp *SP) Login(w http.ResponseWriter, r *http.Request, id *Identity) error {
	now := sp.cfg.now()
	if err := sp.sessions.Save(w, r, &Session{Identity: id, Created: now, LastSeen: now}); err != nil {
		return err
	}
	if sp.cfg.OnLogin != nil {
		if err := sp.cfg.OnLogin(w, r, id); err != nil {
			_ = sp.sessions.Delete(w, r)
			return err
		}
	}
	return nil
}

func (sp *SP) serveMetadata(w http.ResponseWriter, r *http.Request) error {
	data, err := sp.Metadata(r.Context())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/samlmetadata+xml")
	_, err = w.Write(data)
	if err != nil {
		sp.cfg.log.DebugContext(r.Context(), "sp: metadata write", "error", err)
	}
	return nil
}

func orInt(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}
