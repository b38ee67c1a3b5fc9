package sp

import (
	"context"
	"errors"
	"net/http"

	"github.com/eidkit/eidkit/loa"
)

// RequireLoA returns middleware that admits only sessions authenticated at
// level or higher (N11: a higher level than asked is admitted):
//
//   - no live session: the user is sent to the IdP to log in at level;
//   - a session below level: step-up (N12), a new AuthnRequest demanding at
//     least level (with ForceAuthn when Config.ForceAuthnOnStepUp is set);
//   - a session at or above level: the request is served, with the
//     identity in its context (IdentityFromContext), and the session's idle
//     timer is refreshed.
//
// After login the user comes back to the URL first asked for (GET and HEAD;
// other methods come back to Config.DefaultReturnPath).
func (sp *SP) RequireLoA(level loa.Level) func(http.Handler) http.Handler {
	want := loa.Minimum(level)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s, err := sp.Session(r)
			if err == nil && sp.loa.Satisfies(s.Identity.LoA, want) {
				sp.touch(w, r, s)
				next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), identityKey{}, s.Identity)))
				return
			}
			opts := LoginOptions{Level: level}
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				opts.ReturnPath = r.URL.RequestURI()
			}
			if err == nil {
				opts.ForceAuthn = sp.cfg.ForceAuthnOnStepUp
				sp.cfg.log.InfoContext(r.Context(), "sp: step-up", "have", s.Identity.LoA.String(), "want", level.String())
			} else if !errors.Is(err, ErrNoSession) && !errors.Is(err, ErrSessionExpired) {
				sp.errorPage(w, r, err)
				return
			}
			if err := sp.StartLogin(w, r, opts); err != nil {
				sp.errorPage(w, r, err)
			}
		})
	}
}
