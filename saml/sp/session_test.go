package sp

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/eidkit/eidkit/loa"
	"github.com/stretchr/testify/require"
)

// memSessions is an application-owned SessionStore keyed by a cookie (N16:
// the application keeps its own session).
type memSessions struct {
	mu sync.Mutex
	m  map[string]*Session
}

var _ SessionStore = (*memSessions)(nil)

func (s *memSessions) Save(w http.ResponseWriter, _ *http.Request, sess *Session) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m["k1"] = sess
	http.SetCookie(w, &http.Cookie{Name: "app", Value: "k1", Path: "/"})
	return nil
}

func (s *memSessions) Load(r *http.Request) (*Session, error) {
	c, err := r.Cookie("app")
	if err != nil {
		return nil, ErrNoSession
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if sess, ok := s.m[c.Value]; ok {
		cp := *sess
		return &cp, nil
	}
	return nil, ErrNoSession
}

func (s *memSessions) Delete(http.ResponseWriter, *http.Request) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, "k1")
	return nil
}

func TestSessionHooks(t *testing.T) {
	store := &memSessions{m: map[string]*Session{}}
	var logins, logouts int
	refuse := false
	e := newEnv(t, func(c *Config) {
		c.Sessions = store
		c.OnLogin = func(http.ResponseWriter, *http.Request, *Identity) error {
			logins++
			if refuse {
				return errors.New("app: account locked")
			}
			return nil
		}
		c.OnLogout = func(http.ResponseWriter, *http.Request, *Identity) { logouts++ }
	})
	relay, id, cs := e.startLogin(LoginOptions{Level: loa.Notified(loa.Low)})
	w := e.postACS(e.response(id, both), relay, cs)
	require.Equal(t, http.StatusSeeOther, w.Code, w.Body.String())
	require.Equal(t, 1, logins)
	appCookie := cookieNamed(w.Result().Cookies(), "app")
	require.NotNil(t, appCookie)
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.AddCookie(appCookie)
	ident, err := e.sp.Identity(r)
	require.NoError(t, err)
	require.Equal(t, "tid-12345", ident.NameID)

	// Local logout through the SP ends the app session and runs OnLogout.
	r = httptest.NewRequest(http.MethodPost, testBaseURL+"/logout", nil)
	r.AddCookie(appCookie)
	w = httptest.NewRecorder()
	e.sp.Handler().ServeHTTP(w, r)
	require.Equal(t, http.StatusFound, w.Code)
	require.Equal(t, 1, logouts)
	require.Empty(t, store.m)

	// OnLogin refusing aborts the login: error page, no session kept.
	refuse = true
	relay, id, cs = e.startLogin(LoginOptions{})
	w = e.postACS(e.response(id, both), relay, cs)
	require.Equal(t, http.StatusBadRequest, w.Code)
	require.Empty(t, store.m)
	require.Empty(t, w.Header().Get("Location"))
}
