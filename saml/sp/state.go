package sp

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"
)

// maxCookieBytes caps a sealed cookie value; browsers keep about 4 KiB.
const maxCookieBytes = 4000

// errCookie is the internal error of a cookie that does not open; callers
// map it to their own sentinel.
var errCookie = errors.New("sp: cookie does not open")

// sealer seals small values into cookies with AES-256-GCM under a key
// derived for one purpose; the cookie name is the additional data, so a
// value cannot be moved to another cookie.
type sealer struct {
	aead cipher.AEAD
	rand io.Reader
}

func newSealer(key []byte, purpose string, rand io.Reader) (*sealer, error) {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("eidkit/sp cookie " + purpose))
	block, err := aes.NewCipher(m.Sum(nil))
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &sealer{aead: aead, rand: rand}, nil
}

func (s *sealer) seal(name string, v any) (string, error) {
	plain, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plain)+s.aead.Overhead())
	if _, err := io.ReadFull(s.rand, nonce); err != nil {
		return "", fmt.Errorf("sp: random source: %w", err)
	}
	out := base64.RawURLEncoding.EncodeToString(s.aead.Seal(nonce, nonce, plain, []byte(name)))
	if len(out) > maxCookieBytes {
		return "", fmt.Errorf("sp: sealed cookie %s is %d bytes, over %d", name, len(out), maxCookieBytes)
	}
	return out, nil
}

func (s *sealer) open(name, value string, v any) error {
	if len(value) > maxCookieBytes {
		return errCookie
	}
	raw, err := base64.RawURLEncoding.DecodeString(value)
	if err != nil || len(raw) < s.aead.NonceSize()+s.aead.Overhead() {
		return errCookie
	}
	ns := s.aead.NonceSize()
	plain, err := s.aead.Open(nil, raw[:ns], raw[ns:], []byte(name))
	if err != nil {
		return errCookie
	}
	if err := json.Unmarshal(plain, v); err != nil {
		return errCookie
	}
	return nil
}

// requestState is an outstanding AuthnRequest bound to the browser: the
// cookie holding it is named after the RelayState handle.
type requestState struct {
	ID      string `json:"i"`
	Level   string `json:"l"`
	Return  string `json:"r"`
	Created int64  `json:"c"`
	Expires int64  `json:"e"`
}

// logoutState is an outstanding SP-initiated LogoutRequest.
type logoutState struct {
	ID      string `json:"i"`
	Expires int64  `json:"e"`
}

func (sp *SP) reqCookieName(handle string) string { return sp.cfg.cookiePrefix + "_req_" + handle }
func (sp *SP) logoutCookieName() string           { return sp.cfg.cookiePrefix + "_lo" }
func (sp *SP) sessionCookieName() string          { return sp.cfg.cookiePrefix + "_session" }

// cookie builds a cookie with the SP's attributes. crossSite cookies must
// survive the IdP's cross-site POST to the ACS or SLO endpoint, so they are
// SameSite=None (which browsers accept only with Secure); in insecure
// development mode they fall back to Lax, which works on one loopback host.
func (sp *SP) cookie(name, value string, maxAge time.Duration, crossSite bool) *http.Cookie {
	c := &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true, Secure: !sp.cfg.AllowInsecureHTTP,
		SameSite: http.SameSiteLaxMode, MaxAge: int(maxAge / time.Second)}
	if crossSite && !sp.cfg.AllowInsecureHTTP {
		c.SameSite = http.SameSiteNoneMode
	}
	if maxAge < 0 {
		c.MaxAge = -1
	} else if c.MaxAge == 0 {
		c.MaxAge = 1
	}
	return c
}

func (sp *SP) clearCookie(w http.ResponseWriter, name string, crossSite bool) {
	http.SetCookie(w, sp.cookie(name, "", -1, crossSite))
}

// saveRequest stores st under a fresh RelayState handle, dropping expired
// and, beyond MaxOutstanding, the oldest outstanding requests of r's browser.
func (sp *SP) saveRequest(w http.ResponseWriter, r *http.Request, st *requestState) (string, error) {
	handle, err := randomHandle(sp.cfg.rand)
	if err != nil {
		return "", err
	}
	name := sp.reqCookieName(handle)
	v, err := sp.reqSealer.seal(name, st)
	if err != nil {
		return "", err
	}
	existing := sp.outstanding(r)
	now := sp.cfg.now().Unix()
	var live []namedState
	for _, e := range existing {
		if e.st.Expires <= now {
			sp.clearCookie(w, e.name, true)
			continue
		}
		live = append(live, e)
	}
	sort.Slice(live, func(i, j int) bool { return live[i].st.Created < live[j].st.Created })
	for len(live) >= sp.cfg.maxOutstanding {
		sp.clearCookie(w, live[0].name, true)
		live = live[1:]
	}
	http.SetCookie(w, sp.cookie(name, v, sp.cfg.requestTTL, true))
	return handle, nil
}

type namedState struct {
	name string
	st   requestState
}

// outstanding returns the request states whose cookies r carries and open;
// cookies that do not open are ignored.
func (sp *SP) outstanding(r *http.Request) []namedState {
	prefix := sp.reqCookieName("")
	var out []namedState
	for _, c := range r.Cookies() {
		if !strings.HasPrefix(c.Name, prefix) || len(out) >= MaxOutstanding*2 {
			continue
		}
		var st requestState
		if sp.reqSealer.open(c.Name, c.Value, &st) == nil {
			out = append(out, namedState{name: c.Name, st: st})
		}
	}
	return out
}

// takeRequest finds and consumes (clears) the request state for relayState,
// or, when the IdP sent none, every candidate; the caller then matches the
// InResponseTo from signed content against the returned states.
func (sp *SP) takeRequest(w http.ResponseWriter, r *http.Request, relayState string) ([]namedState, error) {
	if relayState != "" {
		if !validHandle(relayState) {
			return nil, fail(ErrRelayState, "RelayState", "not a handle this SP issues")
		}
		name := sp.reqCookieName(relayState)
		c, err := r.Cookie(name)
		if err != nil {
			return nil, fail(ErrUnknownRequest, "RelayState", "no request cookie in this browser")
		}
		sp.clearCookie(w, name, true)
		var st requestState
		if sp.reqSealer.open(name, c.Value, &st) != nil {
			return nil, fail(ErrUnknownRequest, "RelayState", "request cookie does not open")
		}
		if st.Expires <= sp.cfg.now().Unix() {
			return nil, fail(ErrExpired, "RequestState", "outstanding request expired")
		}
		return []namedState{{name: name, st: st}}, nil
	}
	all := sp.outstanding(r)
	now := sp.cfg.now().Unix()
	var live []namedState
	for _, e := range all {
		if e.st.Expires > now {
			live = append(live, e)
		}
	}
	return live, nil
}

// handleLen is the length of a RelayState handle: 16 random bytes in
// unpadded base64url, far below the 80 bytes the bindings allow.
const handleLen = 22

func randomHandle(r io.Reader) (string, error) {
	b := make([]byte, 16)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", fmt.Errorf("sp: random source: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func validHandle(s string) bool {
	if len(s) != handleLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
