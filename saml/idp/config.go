package idp

import (
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/eidkit/eidkit/loa"
	"github.com/eidkit/eidkit/saml/binding"
	"github.com/eidkit/eidkit/saml/dsig"
	"github.com/eidkit/eidkit/saml/partner"
)

// Defaults for zero Config fields.
const (
	// DefaultAssertionLifetime is how long an assertion is valid: 5 minutes,
	// the eIDAS node's timeNotOnOrAfter of 300 s (spec-digest §2.3).
	DefaultAssertionLifetime = 5 * time.Minute
	// DefaultClockSkew is the tolerance for partners' clocks.
	DefaultClockSkew = 90 * time.Second
	// DefaultRequestMaxAge is how old an AuthnRequest or LogoutRequest may
	// be (by IssueInstant) when it arrives.
	DefaultRequestMaxAge = 5 * time.Minute
	// DefaultSessionLifetime bounds the issuer-side SSO session.
	DefaultSessionLifetime = 8 * time.Hour
	// DefaultPendingLifetime bounds a login in progress (form round trips).
	DefaultPendingLifetime = 15 * time.Minute
	// DefaultMaxPending caps logins in progress held in memory.
	DefaultMaxPending = 10000
	// DefaultMaxSessions caps SSO sessions held by the memory store.
	DefaultMaxSessions = 100000
	// DefaultMaxReplay caps request IDs remembered by the replay cache.
	DefaultMaxReplay = 100000
	// DefaultMaxBodyBytes caps the body of every endpoint.
	DefaultMaxBodyBytes = 1 << 20
	// DefaultCookieName is the prefix of the issuer's cookies.
	DefaultCookieName = "eidkit_idp"
	// MaxParticipants caps the SPs one SSO session records.
	MaxParticipants = 64
)

// Paths of the endpoints below the mount prefix.
const (
	PathSSO      = "/sso"
	PathLogin    = "/login"
	PathSLO      = "/slo"
	PathSLOSOAP  = "/slo/soap"
	PathMetadata = "/metadata"
	PathLogout   = "/logout"
)

// SPSource finds a trusted service provider by entityID. *partner.Registry
// implements it. Errors should match partner.ErrUnknownPartner,
// partner.ErrSuspended (with the partner returned for its notice) or
// partner.ErrExpired.
type SPSource interface {
	Lookup(ctx context.Context, entityID string) (*partner.Partner, error)
}

var _ SPSource = (*partner.Registry)(nil)

// Config configures an IdP. It is plain data: New validates it and works on
// a resolved copy, never changing the caller's struct.
type Config struct {
	// EntityID is the issuer's entityID (a URL, or a certificate DN as NIAS
	// uses). Required.
	EntityID string
	// BaseURL is the absolute http(s) URL the endpoints are mounted under,
	// e.g. "https://idp.example/saml": SSO is BaseURL+"/sso" and so on.
	// Required; it must match the prefix given to Mount.
	BaseURL string
	// Key signs assertions, responses, logout messages and metadata.
	// Required: RSA of at least 2048 bits or ECDSA P-256 or larger.
	Key crypto.Signer
	// Certificates are published in metadata; the first must hold Key's
	// public key. List the next certificate too during key rollover.
	Certificates []*x509.Certificate
	// SignatureMethod is the default signature method; "" means
	// dsig.DefaultMethod for Key (RSA-SHA256 or ECDSA). An SP whose metadata
	// advertises alg:SigningMethod gets the first one Key can make; an
	// eIDAS SP (metadata with SPType or NodeCountry) gets RSA-PSS or ECDSA.
	SignatureMethod string
	// SignResponse signs the Response as well as the assertion (which is
	// always signed).
	SignResponse bool
	// EncryptAssertions encrypts assertions for every SP, to the first
	// encryption certificate in its metadata. SAML metadata has no flag by
	// which an SP demands encryption, so it is configuration: set this, or
	// list SPs in EncryptAssertionsFor (eIDAS connectors always want it).
	// Issuance fails (Responder status) for an SP without an encryption
	// certificate.
	EncryptAssertions bool
	// EncryptAssertionsFor lists entityIDs of SPs whose assertions are
	// encrypted even when EncryptAssertions is off.
	EncryptAssertionsFor []string
	// SPs finds trusted service providers. Required.
	SPs SPSource
	// Authenticator authenticates users. Required.
	Authenticator Authenticator
	// Levels are the levels of assurance the Authenticator can reach, used
	// to answer NoAuthnContext before asking the user anything. At least
	// one is required.
	Levels []loa.Level
	// LoA parses RequestedAuthnContext, NIAS conditions and STORK QAA
	// extensions. Nil means loa.New with the default configuration.
	LoA *loa.Registry
	// Sessions stores SSO sessions; nil means a memory store holding at
	// most MaxSessions.
	Sessions SessionStore
	// Pending stores logins in progress; nil means a memory store holding
	// at most MaxPending.
	Pending PendingStore
	// Replay remembers request IDs; nil means a memory cache.
	Replay ReplayCache
	// AllowUnsignedRequests accepts AuthnRequests that carry no signature.
	// RISK: anyone can then start a login in an SP's name and choose among
	// its registered ACS URLs and attributes. A signature that is present is
	// still verified. Logout requests must always be signed.
	AllowUnsignedRequests bool
	// SignaturePolicy says which algorithms SP signatures may use; the zero
	// value is strict (no SHA-1).
	SignaturePolicy dsig.Policy
	// PersistentIDKey, when set (at least 32 bytes), derives a pairwise
	// persistent NameID per SP (HMAC-SHA256 of the SP and the subject) for
	// requests asking for the persistent format.
	PersistentIDKey []byte
	// AssertionLifetime is how long issued assertions are valid; zero means
	// DefaultAssertionLifetime.
	AssertionLifetime time.Duration
	// ClockSkew tolerates partners' clocks; zero means DefaultClockSkew.
	ClockSkew time.Duration
	// RequestMaxAge is the oldest request accepted; zero means
	// DefaultRequestMaxAge.
	RequestMaxAge time.Duration
	// SessionLifetime bounds SSO sessions; zero means
	// DefaultSessionLifetime.
	SessionLifetime time.Duration
	// PendingLifetime bounds a login in progress; zero means
	// DefaultPendingLifetime.
	PendingLifetime time.Duration
	// MaxPending, MaxSessions and MaxReplay bound the memory stores; zero
	// means the defaults.
	MaxPending, MaxSessions, MaxReplay int
	// MaxBodyBytes caps every request body and query; zero means
	// DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// CookieName prefixes the issuer's cookies; "" means DefaultCookieName.
	CookieName string
	// AllowInsecureCookies drops the Secure flag and uses SameSite=Lax, for
	// development over plain HTTP on loopback. RISK: cookies then travel in
	// clear text and single sign-on through a cross-site POST no longer
	// finds the session. Never set it in production.
	AllowInsecureCookies bool
	// SOAP configures the back-channel client for logout propagation.
	SOAP binding.SOAPClientConfig
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Rand is the source of IDs and handles; nil means crypto/rand.
	Rand io.Reader
	// Logger receives request outcomes; nil discards them.
	Logger *slog.Logger
}

// Validate reports every problem with the configuration, joined; each
// wraps ErrInvalidConfig and names the field.
func (c *Config) Validate() error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: %s: %s", ErrInvalidConfig, field, fmt.Sprintf(format, args...)))
	}
	if strings.TrimSpace(c.EntityID) == "" {
		bad("EntityID", "required")
	} else if len(c.EntityID) > 1024 {
		bad("EntityID", "longer than 1024 characters")
	}
	if err := checkBaseURL(c.BaseURL); err != nil {
		bad("BaseURL", "%v", err)
	}
	c.validateKeys(bad)
	if c.SPs == nil {
		bad("SPs", "required")
	}
	if c.Authenticator == nil {
		bad("Authenticator", "required")
	}
	if len(c.Levels) == 0 {
		bad("Levels", "at least one level of assurance is required")
	}
	for i, l := range c.Levels {
		if !l.Valid() {
			bad(fmt.Sprintf("Levels[%d]", i), "invalid level")
		}
	}
	if len(c.PersistentIDKey) > 0 && len(c.PersistentIDKey) < 32 {
		bad("PersistentIDKey", "at least 32 bytes")
	}
	c.validateLimits(bad)
	if c.CookieName != "" && !validCookieName(c.CookieName) {
		bad("CookieName", "only letters, digits, '_' and '-' allowed")
	}
	if err := c.SignaturePolicy.Validate(); err != nil {
		bad("SignaturePolicy", "%v", err)
	}
	if err := c.SOAP.Validate(); err != nil {
		bad("SOAP", "%v", err)
	}
	return errors.Join(errs...)
}

func (c *Config) validateLimits(bad func(field, format string, args ...any)) {
	durations := []struct {
		name string
		d    time.Duration
	}{{"AssertionLifetime", c.AssertionLifetime}, {"ClockSkew", c.ClockSkew}, {"RequestMaxAge", c.RequestMaxAge},
		{"SessionLifetime", c.SessionLifetime}, {"PendingLifetime", c.PendingLifetime}}
	for _, d := range durations {
		if d.d < 0 {
			bad(d.name, "negative")
		}
	}
	if c.AssertionLifetime > time.Hour {
		bad("AssertionLifetime", "more than an hour")
	}
	if c.ClockSkew > 10*time.Minute {
		bad("ClockSkew", "more than 10 minutes")
	}
	if c.MaxPending < 0 || c.MaxSessions < 0 || c.MaxReplay < 0 {
		bad("MaxPending/MaxSessions/MaxReplay", "negative")
	}
	if c.MaxBodyBytes < 0 {
		bad("MaxBodyBytes", "negative")
	}
}

func (c *Config) validateKeys(bad func(field, format string, args ...any)) {
	if c.Key == nil {
		bad("Key", "required")
	} else if _, err := dsig.DefaultMethod(c.Key.Public()); err != nil {
		bad("Key", "%v", err)
	}
	if len(c.Certificates) == 0 {
		bad("Certificates", "at least one certificate is required")
	}
	for i, cert := range c.Certificates {
		if cert == nil {
			bad(fmt.Sprintf("Certificates[%d]", i), "nil")
		}
	}
	if c.Key != nil && len(c.Certificates) > 0 && c.Certificates[0] != nil {
		if k, ok := c.Key.Public().(interface{ Equal(crypto.PublicKey) bool }); !ok || !k.Equal(c.Certificates[0].PublicKey) {
			bad("Certificates[0]", "does not hold Key's public key")
		}
	}
	if c.SignatureMethod != "" && c.Key != nil {
		if _, err := dsig.SignBytes(c.Key, c.SignatureMethod, []byte("eidkit")); err != nil {
			bad("SignatureMethod", "%v", err)
		}
	}
}

func checkBaseURL(s string) error {
	if s == "" {
		return errors.New("required")
	}
	u, err := url.Parse(s)
	if err != nil {
		return err
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return errors.New("must be an absolute http(s) URL without user info, query or fragment")
	}
	if strings.HasSuffix(s, "/") {
		return errors.New("must not end with '/'")
	}
	return nil
}

func validCookieName(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return len(s) <= 64
}

// resolved is Config with defaults applied.
type resolved struct {
	Config
	mountPath  string
	encryptFor map[string]bool
}

func resolve(c *Config) (*resolved, error) {
	r := &resolved{Config: *c}
	r.Certificates = append([]*x509.Certificate(nil), c.Certificates...)
	r.Levels = append([]loa.Level(nil), c.Levels...)
	r.PersistentIDKey = append([]byte(nil), c.PersistentIDKey...)
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&r.AssertionLifetime, DefaultAssertionLifetime)
	def(&r.ClockSkew, DefaultClockSkew)
	def(&r.RequestMaxAge, DefaultRequestMaxAge)
	def(&r.SessionLifetime, DefaultSessionLifetime)
	def(&r.PendingLifetime, DefaultPendingLifetime)
	defInt := func(d *int, v int) {
		if *d == 0 {
			*d = v
		}
	}
	defInt(&r.MaxPending, DefaultMaxPending)
	defInt(&r.MaxSessions, DefaultMaxSessions)
	defInt(&r.MaxReplay, DefaultMaxReplay)
	if r.MaxBodyBytes == 0 {
		r.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if r.CookieName == "" {
		r.CookieName = DefaultCookieName
	}
	if r.Now == nil {
		r.Now = time.Now
	}
	if r.Logger == nil {
		r.Logger = slog.New(slog.DiscardHandler)
	}
	if r.LoA == nil {
		reg, err := loa.New(loa.RegistryConfig{})
		if err != nil {
			return nil, fmt.Errorf("%w: LoA: %w", ErrInvalidConfig, err)
		}
		r.LoA = reg
	}
	if r.SignatureMethod == "" {
		m, err := dsig.DefaultMethod(r.Key.Public())
		if err != nil {
			return nil, fmt.Errorf("%w: Key: %w", ErrInvalidConfig, err)
		}
		r.SignatureMethod = m
	}
	u, _ := url.Parse(r.BaseURL)
	r.mountPath = u.Path
	r.encryptFor = make(map[string]bool, len(c.EncryptAssertionsFor))
	for _, id := range c.EncryptAssertionsFor {
		r.encryptFor[id] = true
	}
	return r, nil
}

func (r *resolved) ssoURL() string     { return r.BaseURL + PathSSO }
func (r *resolved) loginURL() string   { return r.BaseURL + PathLogin }
func (r *resolved) sloURL() string     { return r.BaseURL + PathSLO }
func (r *resolved) sloSOAPURL() string { return r.BaseURL + PathSLOSOAP }
