package sp

import (
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/eidkit/eidkit/loa"
	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/dsig"
	"github.com/eidkit/eidkit/saml/metadata"
	"github.com/eidkit/eidkit/saml/partner"
)

// Defaults and bounds of the Config fields (style rule 4: documented
// defaults as exported constants).
const (
	// DefaultClockSkew is the clock skew tolerated when comparing times.
	DefaultClockSkew = 2 * time.Minute
	// MaxClockSkew bounds Config.ClockSkew.
	MaxClockSkew = 10 * time.Minute
	// DefaultMaxMessageAge is how old a Response, Assertion or
	// LogoutRequest IssueInstant may be.
	DefaultMaxMessageAge = 5 * time.Minute
	// MaxMessageAge bounds Config.MaxMessageAge.
	MaxMessageAge = time.Hour
	// DefaultRequestTTL is how long an outstanding AuthnRequest stays
	// answerable.
	DefaultRequestTTL = 10 * time.Minute
	// MaxRequestTTL bounds Config.RequestTTL.
	MaxRequestTTL = time.Hour
	// DefaultMaxOutstanding is how many AuthnRequests one browser may have
	// outstanding at once (one cookie each).
	DefaultMaxOutstanding = 4
	// MaxOutstanding bounds Config.MaxOutstanding.
	MaxOutstanding = 16
	// DefaultSessionMaxAge is the longest application session (N16).
	DefaultSessionMaxAge = 8 * time.Hour
	// DefaultSessionIdleTimeout ends a session unused for this long (N16).
	DefaultSessionIdleTimeout = 30 * time.Minute
	// DefaultMaxBodyBytes caps every request body the handlers read.
	DefaultMaxBodyBytes = 2 << 20
	// CookieKeySize is the length of Config.CookieKey: an AES-256 key.
	CookieKeySize = 32
	// DefaultCookiePrefix prefixes the names of the cookies the SP sets.
	DefaultCookiePrefix = "eidkit_sp"
)

// IdPSource finds the configured identity provider by entityID, typically a
// *partner.Registry (style rule 2: the consumer declares the interface).
// Errors matching partner.ErrUnknownPartner, partner.ErrSuspended and
// partner.ErrExpired become ErrUnknownIdP, ErrIdPSuspended (a
// *SuspendedError with the notice) and ErrIdPExpired.
type IdPSource interface {
	Lookup(ctx context.Context, entityID string) (*partner.Partner, error)
}

// Config configures an SP. It is plain data: New validates it and works on
// a resolved copy, never changing the caller's struct. The zero value of
// every optional field is the strict default.
type Config struct {
	// EntityID is this SP's entityID: a URL (eIDAS) or a certificate DN
	// (NIAS). Required.
	EntityID string
	// BaseURL is the absolute URL under which the SAML endpoints live, e.g.
	// "https://eservice.example.hr/saml": the ACS is BaseURL+"/acs", single
	// logout BaseURL+"/slo" (Redirect and POST) and BaseURL+"/slo/soap",
	// metadata BaseURL+"/metadata", login and logout BaseURL+"/login" and
	// BaseURL+"/logout". It must be https, unless AllowInsecureHTTP is set
	// and the host is a loopback address. Required.
	BaseURL string

	// Key signs AuthnRequests, LogoutRequests, LogoutResponses and
	// metadata. Required.
	Key crypto.Signer
	// Certificate is Key's certificate, published in metadata. Required.
	Certificate *x509.Certificate
	// SignatureMethod is the signature algorithm for outgoing messages;
	// empty means dsig.DefaultMethod for Key (RSA-SHA256 or ECDSA).
	SignatureMethod string
	// DecryptionKeys decrypt EncryptedAssertions; several allow key
	// rollover. Optional unless RequireEncryptedAssertions is set.
	DecryptionKeys []crypto.Decrypter
	// EncryptionCertificates are published in metadata with
	// use="encryption"; they belong to DecryptionKeys.
	EncryptionCertificates []*x509.Certificate

	// IdPEntityID is the entityID of the one IdP (the broker) this SP
	// trusts; every Issuer must equal it. Required.
	IdPEntityID string
	// IdPs looks the IdP up (metadata, suspension, environment). Exactly
	// one of IdPs and IdPMetadata is required.
	IdPs IdPSource
	// IdPMetadata is the IdP's metadata for simple set-ups without a
	// partner registry; its entityID must equal IdPEntityID.
	IdPMetadata *metadata.EntityDescriptor
	// SignaturePolicy is the algorithm policy for the IdP's signatures;
	// the zero value is strict (SHA-1 refused). Use dsig.EIDASPolicy for an
	// eIDAS node.
	SignaturePolicy dsig.Policy
	// RequireSignedResponse requires the Response element itself to be
	// signed (eIDAS does). By default either the Response or the Assertion
	// signature must cover the assertion.
	RequireSignedResponse bool
	// RequireSignedAssertion requires the Assertion's own signature
	// (WantAssertionsSigned). By default a signed Response also suffices.
	RequireSignedAssertion bool
	// RequireEncryptedAssertions refuses plain assertions. Off by default
	// because NIAS sends plain signed assertions; eIDAS needs it on.
	RequireEncryptedAssertions bool

	// LoA is the level-of-assurance vocabulary; nil means loa.New with the
	// default RegistryConfig.
	LoA *loa.Registry
	// DefaultLevel is requested by the plain login endpoint and demanded of
	// unsolicited responses. Zero means eIDAS low.
	DefaultLevel loa.Level
	// ForceAuthnOnStepUp sets ForceAuthn on step-up requests (N12), so that
	// the IdP authenticates afresh rather than reusing its session.
	ForceAuthnOnStepUp bool
	// NIASCondition adds the NIAS MinAuthenticationSecurityLevel condition
	// to AuthnRequests besides RequestedAuthnContext (spec-digest §4.3).
	NIASCondition bool
	// NameIDFormat is requested in NameIDPolicy when set.
	NameIDFormat string
	// RequestBinding sends AuthnRequests and LogoutRequests with
	// saml.BindingHTTPRedirect (the default) or saml.BindingHTTPPOST.
	RequestBinding string

	// CookieKey is the CookieKeySize-byte secret sealing the SP's cookies
	// with AES-256-GCM. Required; keep it secret and share it between the
	// instances of a cluster.
	CookieKey []byte
	// CookiePrefix prefixes cookie names; empty means DefaultCookiePrefix.
	CookiePrefix string
	// AllowInsecureHTTP permits an http BaseURL on a loopback host and then
	// sets cookies without Secure (and SameSite=Lax instead of None), for
	// development on one machine (IdP and SP on the same loopback host
	// name, so that the IdP's POST to the ACS is same-site). RISK: without
	// TLS anyone on the path can read and replay assertions and cookies;
	// never set it in production.
	AllowInsecureHTTP bool

	// ClockSkew is tolerated on every time comparison. Zero means
	// DefaultClockSkew; at most MaxClockSkew.
	ClockSkew time.Duration
	// MaxMessageAge is how old an IssueInstant may be. Zero means
	// DefaultMaxMessageAge; at most MaxMessageAge.
	MaxMessageAge time.Duration
	// RequestTTL is how long an AuthnRequest stays answerable. Zero means
	// DefaultRequestTTL; at most MaxRequestTTL.
	RequestTTL time.Duration
	// MaxOutstanding caps outstanding AuthnRequests per browser; the
	// oldest is dropped beyond it. Zero means DefaultMaxOutstanding.
	MaxOutstanding int
	// AllowUnsolicited accepts IdP-initiated responses without
	// InResponseTo. RISK: such responses cannot be bound to the browser, so
	// a stolen assertion can be injected into another user's browser (login
	// CSRF); the replay cache still applies.
	AllowUnsolicited bool

	// Sessions keeps the application session; nil means a sealed cookie
	// holding the Identity. Browsers keep about 4 KiB per cookie, so an IdP
	// that releases many or large attributes needs a server-side store
	// (login then fails with an error rather than losing data).
	Sessions SessionStore
	// SessionMaxAge is the longest session (N16). Zero means
	// DefaultSessionMaxAge.
	SessionMaxAge time.Duration
	// SessionIdleTimeout ends sessions unused for this long (N16). Zero
	// means DefaultSessionIdleTimeout.
	SessionIdleTimeout time.Duration
	// OnLogin runs after a successful login, before the redirect; an error
	// aborts the login. The application may set its own session here.
	OnLogin func(w http.ResponseWriter, r *http.Request, id *Identity) error
	// OnLogout runs when a browser's session ends (local, SP- or
	// IdP-initiated front channel logout).
	OnLogout func(w http.ResponseWriter, r *http.Request, id *Identity)
	// OnRevoke runs when back-channel logout ends sessions (N14), so that
	// applications with server-side sessions can drop them too.
	OnRevoke func(ctx context.Context, target LogoutTarget)
	// Revocations records sessions ended by single logout; nil means an
	// in-memory registry (one process).
	Revocations RevocationStore
	// ReplayCache remembers message IDs; nil means an in-memory cache.
	ReplayCache ReplayCache

	// DefaultReturnPath is where users land after login when no safe
	// return path is known; empty means "/".
	DefaultReturnPath string
	// PostLogoutPath is where users land after logout; empty means "/".
	PostLogoutPath string
	// Limits cap the XML parser; zero fields take saml's defaults.
	Limits saml.Limits
	// MaxBodyBytes caps request bodies and query strings; zero means
	// DefaultMaxBodyBytes.
	MaxBodyBytes int64

	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Rand is the source of IDs, RelayState handles and nonces; nil means
	// crypto/rand.Reader.
	Rand io.Reader
	// Logger receives refusals with their reason; nil discards.
	Logger *slog.Logger
}

// Validate reports every problem of c at once, joined; each wraps
// ErrInvalidConfig and names the field. It makes one test signature with Key
// so that a key unfit for SignatureMethod fails at start, not at first login.
func (c *Config) Validate() error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: %s: %s", ErrInvalidConfig, field, fmt.Sprintf(format, args...)))
	}
	if c.EntityID == "" {
		bad("EntityID", "required")
	} else if len(c.EntityID) > metadata.MaxEntityIDLength {
		bad("EntityID", "longer than %d bytes", metadata.MaxEntityIDLength)
	}
	if err := checkBaseURL(c.BaseURL, c.AllowInsecureHTTP); err != nil {
		bad("BaseURL", "%v", err)
	}
	c.validateKeys(bad)
	c.validateIdP(bad)
	c.validateLimits(bad)
	if len(c.CookieKey) != CookieKeySize {
		bad("CookieKey", "must be %d bytes, got %d", CookieKeySize, len(c.CookieKey))
	}
	switch c.RequestBinding {
	case "", saml.BindingHTTPRedirect, saml.BindingHTTPPOST:
	default:
		bad("RequestBinding", "must be HTTP-Redirect or HTTP-POST")
	}
	if c.DefaultLevel != (loa.Level{}) && !c.DefaultLevel.Valid() {
		bad("DefaultLevel", "invalid level")
	}
	for _, p := range []struct{ name, v string }{{"DefaultReturnPath", c.DefaultReturnPath}, {"PostLogoutPath", c.PostLogoutPath}} {
		if p.v != "" && !isLocalPath(p.v) {
			bad(p.name, "must be a local path starting with a single /")
		}
	}
	if strings.ContainsAny(c.CookiePrefix, " ;,=\t\r\n\"") {
		bad("CookiePrefix", "contains characters not allowed in a cookie name")
	}
	return errors.Join(errs...)
}

func (c *Config) validateKeys(bad func(string, string, ...any)) {
	if c.Key == nil {
		bad("Key", "required")
	}
	if c.Certificate == nil {
		bad("Certificate", "required")
	} else if c.Key != nil && !publicKeysEqual(c.Key.Public(), c.Certificate.PublicKey) {
		bad("Certificate", "does not belong to Key")
	}
	if c.Key != nil {
		m := c.SignatureMethod
		if m == "" {
			var err error
			if m, err = dsig.DefaultMethod(c.Key.Public()); err != nil {
				bad("Key", "%v", err)
			}
		}
		if m != "" {
			if _, err := dsig.SignBytes(c.Key, m, []byte("eidkit sp config check")); err != nil {
				bad("SignatureMethod", "%v", err)
			}
		}
	}
	if c.RequireEncryptedAssertions && len(c.DecryptionKeys) == 0 {
		bad("DecryptionKeys", "required when RequireEncryptedAssertions is set")
	}
	for i, k := range c.DecryptionKeys {
		if k == nil {
			bad(fmt.Sprintf("DecryptionKeys[%d]", i), "nil key")
		}
	}
	for i, crt := range c.EncryptionCertificates {
		if crt == nil {
			bad(fmt.Sprintf("EncryptionCertificates[%d]", i), "nil certificate")
		}
	}
}

func (c *Config) validateIdP(bad func(string, string, ...any)) {
	if c.IdPEntityID == "" {
		bad("IdPEntityID", "required")
	}
	switch {
	case c.IdPs == nil && c.IdPMetadata == nil:
		bad("IdPs", "one of IdPs and IdPMetadata is required")
	case c.IdPs != nil && c.IdPMetadata != nil:
		bad("IdPMetadata", "mutually exclusive with IdPs")
	case c.IdPMetadata != nil:
		if c.IdPMetadata.EntityID != c.IdPEntityID {
			bad("IdPMetadata", "entityID %q is not IdPEntityID", c.IdPMetadata.EntityID)
		}
		if c.IdPMetadata.IDP == nil {
			bad("IdPMetadata", "has no IDPSSODescriptor")
		} else if len(c.IdPMetadata.IDP.SigningCertificates()) == 0 {
			bad("IdPMetadata", "has no signing certificate")
		}
	}
	if err := c.SignaturePolicy.Validate(); err != nil {
		bad("SignaturePolicy", "%v", err)
	}
}

func (c *Config) validateLimits(bad func(string, string, ...any)) {
	durs := []struct {
		name     string
		v, maxV  time.Duration
		required bool
	}{
		{"ClockSkew", c.ClockSkew, MaxClockSkew, false},
		{"MaxMessageAge", c.MaxMessageAge, MaxMessageAge, false},
		{"RequestTTL", c.RequestTTL, MaxRequestTTL, false},
		{"SessionMaxAge", c.SessionMaxAge, 0, false},
		{"SessionIdleTimeout", c.SessionIdleTimeout, 0, false},
	}
	for _, d := range durs {
		if d.v < 0 {
			bad(d.name, "negative")
		} else if d.maxV > 0 && d.v > d.maxV {
			bad(d.name, "above the maximum %v", d.maxV)
		}
	}
	if c.MaxOutstanding < 0 || c.MaxOutstanding > MaxOutstanding {
		bad("MaxOutstanding", "must be 0 to %d", MaxOutstanding)
	}
	if c.MaxBodyBytes < 0 {
		bad("MaxBodyBytes", "negative")
	}
	if err := c.Limits.Validate(); err != nil {
		bad("Limits", "%v", err)
	}
}

// checkBaseURL accepts an absolute https URL without query or fragment, or
// http on a loopback host when allowed.
func checkBaseURL(s string, allowHTTP bool) error {
	if s == "" {
		return errors.New("required")
	}
	u, err := url.Parse(s)
	if err != nil {
		return err
	}
	if u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return errors.New("must be an absolute URL without user info, query or fragment")
	}
	if strings.HasSuffix(u.Path, "/") {
		return errors.New("must not end with /")
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if !allowHTTP {
			return errors.New("must be https (http only on loopback with AllowInsecureHTTP)")
		}
		if !isLoopback(u.Hostname()) {
			return errors.New("http is allowed only on a loopback host")
		}
		return nil
	}
	return errors.New("must be https")
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// isLocalPath reports whether p is a path on this origin: it starts with a
// single "/" that is not followed by "/" or "\", and holds no control
// characters or backslashes that browsers might read as another origin.
func isLocalPath(p string) bool {
	if len(p) == 0 || len(p) > 2048 || p[0] != '/' {
		return false
	}
	if len(p) > 1 && (p[1] == '/' || p[1] == '\\') {
		return false
	}
	for i := 0; i < len(p); i++ {
		if c := p[i]; c < 0x20 || c == 0x7f || c == '\\' {
			return false
		}
	}
	u, err := url.Parse(p)
	return err == nil && u.Scheme == "" && u.Host == "" && u.User == nil
}
