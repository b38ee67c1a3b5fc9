package idp

import (
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/binding"
)

// TestSuspend (N25): while the issuer or an SP is suspended, requests are
// refused with Responder/RequestDenied carrying the notice; logins in
// progress are refused at their next step; Resume restores service.
func TestSuspend(t *testing.T) {
	const notice = "Maintenance until 12:00"
	tests := []struct {
		name    string
		suspend func(e *env)
		resume  func(e *env)
	}{
		{name: "issuer", suspend: func(e *env) { e.idp.Suspend(notice) }, resume: func(e *env) { e.idp.Resume() }},
		{name: "sp partner", suspend: func(e *env) { require.NoError(e.t, e.reg.Suspend(testSP, notice)) },
			resume: func(e *env) { e.reg.Resume(testSP) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			tt.suspend(e)
			e.calls = 0
			resp, posted := e.login(jar{}, e.authnRequest(nil), "ana", "")
			require.Equal(t, testACS, posted.Action)
			require.Equal(t, saml.StatusResponder, resp.Status.Code)
			require.Equal(t, saml.StatusRequestDenied, resp.Status.SubCode)
			require.Equal(t, notice, resp.Status.Message)
			require.Zero(t, e.calls)

			tt.resume(e)
			resp, _ = e.login(jar{}, e.authnRequest(nil), "ana", "")
			require.Equal(t, saml.StatusSuccess, resp.Status.Code)
		})
	}
}

// TestSuspendUnverified: a request that cannot be verified while suspended
// gets the notice page, never a response.
func TestSuspendUnverified(t *testing.T) {
	e := newEnv(t)
	e.idp.Suspend("Back soon")
	w := e.do(get(redirectURL(t, testSSO, binding.ParamRequest, e.authnRequest(nil).Element(), "", xKP.Key)))
	require.Equal(t, http.StatusServiceUnavailable, w.Code)
	require.Contains(t, w.Body.String(), "Back soon")
	require.NotContains(t, w.Body.String(), "SAMLResponse")
}

// TestSuspendInProgress: a login started before Suspend is refused at its
// next step.
func TestSuspendInProgress(t *testing.T) {
	e := newEnv(t)
	j := jar{}
	w := e.do(get(redirectURL(t, testSSO, binding.ParamRequest, e.authnRequest(nil).Element(), "", spKP.Key)))
	j.update(w)
	e.idp.Suspend("Stopped")
	r := postRequest(testBase+PathLogin, "user", []byte("ana"), "")
	w = e.do(r, j.list()...)
	resp, _ := e.response(w)
	require.Equal(t, saml.StatusRequestDenied, resp.Status.SubCode)
	require.Equal(t, "Stopped", resp.Status.Message)
}

// TestSuspendConcurrent runs Suspend, Resume and Suspended together under
// -race.
func TestSuspendConcurrent(t *testing.T) {
	e := newEnv(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for range 100 {
				if i%2 == 0 {
					e.idp.Suspend("n")
				} else {
					e.idp.Resume()
				}
				notice, on := e.idp.Suspended()
				if on && notice == "" {
					t.Error("suspended without a notice")
				}
			}
		})
	}
	wg.Wait()
	e.idp.Resume()
	_, on := e.idp.Suspended()
	require.False(t, on)
}
