package idp

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/eidkit/eidkit/loa"
	"github.com/eidkit/eidkit/saml"
)

// Authenticator is what a credential issuer implements: a password form,
// a one-time code, a smart card (N24, N28). The IdP calls it when a browser
// arrives with a verified AuthnRequest and again for every request to the
// login endpoint (Request.LoginURL) while the login is in progress, so a
// form can take several round trips.
//
// Authenticate returns:
//   - an *Authentication when the user is authenticated;
//   - ErrInProgress after writing a page to w (a form whose action is
//     req.LoginURL); the flow resumes on the next request;
//   - an error matching ErrCancelled when the user abandons the login
//     (the SP gets RequestDenied);
//   - any other error when authentication failed (the SP gets AuthnFailed).
//
// Except with ErrInProgress it must not write to w. The request r of the
// first call is the SSO request itself (GET or POST), later ones are the
// login endpoint's; r.Body is limited by Config.MaxBodyBytes.
type Authenticator interface {
	Authenticate(w http.ResponseWriter, r *http.Request, req *Request) (*Authentication, error)
}

// AuthenticatorFunc adapts a function to Authenticator.
type AuthenticatorFunc func(w http.ResponseWriter, r *http.Request, req *Request) (*Authentication, error)

// Authenticate calls f.
func (f AuthenticatorFunc) Authenticate(w http.ResponseWriter, r *http.Request, req *Request) (*Authentication, error) {
	return f(w, r, req)
}

var _ Authenticator = AuthenticatorFunc(nil)

// Authentication is the outcome of a successful login.
type Authentication struct {
	// Subject identifies the user: the NameID value and format (for
	// example the OIB with the persistent format, or an eIDAS
	// PersistentIdentifier). Value is required.
	Subject saml.NameID
	// Attributes are released to the SP as given: NIAS plain names (oib,
	// ime, prezime with the basic NameFormat) and eIDAS URIs (uri
	// NameFormat) alike, with all their values.
	Attributes []saml.Attribute
	// LoA is the level the credential achieved. It must satisfy the
	// request, or the SP gets NoAuthnContext.
	LoA loa.Level
	// AuthnInstant is when the user authenticated; zero means now.
	AuthnInstant time.Time
	// SessionNotOnOrAfter ends the SSO session early; zero means now +
	// Config.SessionLifetime.
	SessionNotOnOrAfter time.Time
}

// PendingStore keeps logins in progress, keyed by a random handle bound to
// the browser by a cookie. Implementations treat the stored Request as
// read-only and must be safe for concurrent use. An expired entry reads as
// ErrNoPendingRequest.
type PendingStore interface {
	// Put stores req under handle until expires; ErrTooManyPending when full.
	Put(ctx context.Context, handle string, req *Request, expires time.Time) error
	// Get returns the request stored under handle at now.
	Get(ctx context.Context, handle string, now time.Time) (*Request, error)
	// Delete removes handle; deleting a missing handle is not an error.
	Delete(ctx context.Context, handle string) error
}

// MemoryPending is the in-memory PendingStore, bounded in size.
type MemoryPending struct {
	mu      sync.Mutex
	max     int
	entries map[string]pendingEntry
}

type pendingEntry struct {
	req     *Request
	expires time.Time
}

var _ PendingStore = (*MemoryPending)(nil)

// NewMemoryPending returns a store holding at most max entries (zero means
// DefaultMaxPending).
func NewMemoryPending(max int) *MemoryPending {
	if max <= 0 {
		max = DefaultMaxPending
	}
	return &MemoryPending{max: max, entries: make(map[string]pendingEntry)}
}

// Put implements PendingStore. When full it first drops expired entries.
func (m *MemoryPending) Put(_ context.Context, handle string, req *Request, expires time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.entries[handle]; !ok && len(m.entries) >= m.max {
		now := req.ReceivedAt
		for k, e := range m.entries {
			if !now.Before(e.expires) {
				delete(m.entries, k)
			}
		}
		if len(m.entries) >= m.max {
			return ErrTooManyPending
		}
	}
	m.entries[handle] = pendingEntry{req: req, expires: expires}
	return nil
}

// Get implements PendingStore.
func (m *MemoryPending) Get(_ context.Context, handle string, now time.Time) (*Request, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.entries[handle]
	if !ok || !now.Before(e.expires) {
		return nil, ErrNoPendingRequest
	}
	return e.req, nil
}

// Delete implements PendingStore.
func (m *MemoryPending) Delete(_ context.Context, handle string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.entries, handle)
	return nil
}

// ReplayCache remembers message IDs until they could no longer be accepted
// anyway. Add is an atomic check-and-set.
type ReplayCache interface {
	// Add records key until expires; it returns ErrReplayed if key is
	// already recorded and not expired at now.
	Add(ctx context.Context, key string, expires, now time.Time) error
}

// MemoryReplay is the in-memory ReplayCache, bounded in size. When full
// it refuses new IDs (fail closed) until entries expire.
type MemoryReplay struct {
	mu      sync.Mutex
	max     int
	entries map[string]time.Time
}

var _ ReplayCache = (*MemoryReplay)(nil)

// NewMemoryReplay returns a cache holding at most max IDs (zero means
// DefaultMaxReplay).
func NewMemoryReplay(max int) *MemoryReplay {
	if max <= 0 {
		max = DefaultMaxReplay
	}
	return &MemoryReplay{max: max, entries: make(map[string]time.Time)}
}

// Add implements ReplayCache.
func (m *MemoryReplay) Add(_ context.Context, key string, expires, now time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if exp, ok := m.entries[key]; ok && now.Before(exp) {
		return ErrReplayed
	}
	if len(m.entries) >= m.max {
		for k, exp := range m.entries {
			if !now.Before(exp) {
				delete(m.entries, k)
			}
		}
		if len(m.entries) >= m.max {
			return ErrReplayed
		}
	}
	m.entries[key] = expires
	return nil
}
