package sp

import (
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"time"

	"github.com/eidkit/eidkit/loa"
	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/dsig"
	"github.com/eidkit/eidkit/saml/partner"
	"github.com/eidkit/eidkit/saml/xmlenc"
)

// resolved is the Config with defaults applied; New builds it from a copy.
type resolved struct {
	Config
	acsURL, sloURL, sloSOAPURL, metadataURL, loginURL, logoutURL string
	basePath                                                     string
	cookiePrefix                                                 string
	now                                                          func() time.Time
	rand                                                         io.Reader
	log                                                          *slog.Logger
	skew, maxAge, requestTTL, sessionMaxAge, sessionIdle         time.Duration
	maxOutstanding                                               int
	maxBody                                                      int64
	returnPath, postLogoutPath                                   string
	sigMethod                                                    string
}

// SP is a SAML service provider for one e-service: it starts logins at a
// level of assurance, consumes the IdP's responses with every check on, keeps
// the application session and takes part in single logout. Build it with New;
// it is safe for concurrent use.
type SP struct {
	cfg        resolved
	loa        *loa.Registry
	idp        IdPSource
	signer     *dsig.Signer
	decrypter  *xmlenc.Decrypter
	reqSealer  *sealer
	sessSealer *sealer
	replay     ReplayCache
	revoked    RevocationStore
	sessions   SessionStore
	defLevel   loa.Level
}

// New validates cfg and builds an SP from a resolved copy of it; cfg is not
// changed.
func New(cfg Config) (*SP, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	rc := resolved{Config: cfg}
	rc.DecryptionKeys = append([]crypto.Decrypter(nil), cfg.DecryptionKeys...)
	rc.EncryptionCertificates = append([]*x509.Certificate(nil), cfg.EncryptionCertificates...)
	rc.CookieKey = append([]byte(nil), cfg.CookieKey...)
	rc.resolveDefaults()
	sp := &SP{cfg: rc, loa: cfg.LoA, replay: cfg.ReplayCache, revoked: cfg.Revocations}
	if sp.loa == nil {
		var err error
		if sp.loa, err = loa.New(loa.RegistryConfig{}); err != nil {
			return nil, fmt.Errorf("%w: LoA: %v", ErrInvalidConfig, err)
		}
	}
	sp.defLevel = cfg.DefaultLevel
	if !sp.defLevel.Valid() {
		sp.defLevel = loa.Notified(loa.Low)
	}
	if _, err := levelRef(sp.defLevel); err != nil {
		return nil, fmt.Errorf("%w: DefaultLevel: %v", ErrInvalidConfig, err)
	}
	if cfg.IdPs != nil {
		sp.idp = cfg.IdPs
	} else {
		sp.idp = staticIdP{&partner.Partner{EntityID: cfg.IdPMetadata.EntityID, Metadata: cfg.IdPMetadata}}
	}
	sp.signer = &dsig.Signer{Key: cfg.Key, Certificates: []*x509.Certificate{cfg.Certificate}, Method: rc.sigMethod}
	sp.decrypter = &xmlenc.Decrypter{Keys: rc.DecryptionKeys, Limits: cfg.Limits, Logger: rc.log}
	var err error
	if sp.reqSealer, err = newSealer(rc.CookieKey, "request", rc.rand); err != nil {
		return nil, err
	}
	if sp.sessSealer, err = newSealer(rc.CookieKey, "session", rc.rand); err != nil {
		return nil, err
	}
	if sp.replay == nil {
		sp.replay = NewMemoryReplayCache(0)
	}
	if sp.revoked == nil {
		sp.revoked = NewMemoryRevocationStore(0)
	}
	sp.sessions = cfg.Sessions
	if sp.sessions == nil {
		sp.sessions = &cookieSessions{sp: sp}
	}
	return sp, nil
}

func (rc *resolved) resolveDefaults() {
	base := rc.BaseURL
	rc.acsURL, rc.sloURL, rc.sloSOAPURL = base+"/acs", base+"/slo", base+"/slo/soap"
	rc.metadataURL, rc.loginURL, rc.logoutURL = base+"/metadata", base+"/login", base+"/logout"
	u, _ := url.Parse(base) // Validate checked it
	rc.basePath = u.EscapedPath()
	rc.cookiePrefix = orString(rc.CookiePrefix, DefaultCookiePrefix)
	rc.now = rc.Now
	if rc.now == nil {
		rc.now = time.Now
	}
	rc.rand = rc.Rand
	if rc.rand == nil {
		rc.rand = rand.Reader
	}
	rc.log = rc.Logger
	if rc.log == nil {
		rc.log = slog.New(slog.DiscardHandler)
	}
	rc.skew = orDuration(rc.ClockSkew, DefaultClockSkew)
	rc.maxAge = orDuration(rc.MaxMessageAge, DefaultMaxMessageAge)
	rc.requestTTL = orDuration(rc.RequestTTL, DefaultRequestTTL)
	rc.sessionMaxAge = orDuration(rc.SessionMaxAge, DefaultSessionMaxAge)
	rc.sessionIdle = orDuration(rc.SessionIdleTimeout, DefaultSessionIdleTimeout)
	rc.maxOutstanding = rc.MaxOutstanding
	if rc.maxOutstanding == 0 {
		rc.maxOutstanding = DefaultMaxOutstanding
	}
	rc.maxBody = rc.MaxBodyBytes
	if rc.maxBody == 0 {
		rc.maxBody = DefaultMaxBodyBytes
	}
	rc.returnPath = orString(rc.DefaultReturnPath, "/")
	rc.postLogoutPath = orString(rc.PostLogoutPath, "/")
	rc.sigMethod = rc.SignatureMethod
	if rc.sigMethod == "" {
		rc.sigMethod, _ = dsig.DefaultMethod(rc.Key.Public())
	}
	if rc.RequestBinding == "" {
		rc.RequestBinding = saml.BindingHTTPRedirect
	}
}

// ACSURL returns the assertion consumer service URL (HTTP-POST binding).
func (sp *SP) ACSURL() string { return sp.cfg.acsURL }

// SLOURL returns the front-channel single logout URL (Redirect and POST).
func (sp *SP) SLOURL() string { return sp.cfg.sloURL }

// SLOSOAPURL returns the back-channel (SOAP) single logout URL.
func (sp *SP) SLOSOAPURL() string { return sp.cfg.sloSOAPURL }

// MetadataURL returns the URL the SP metadata is served at.
func (sp *SP) MetadataURL() string { return sp.cfg.metadataURL }

// LoginURL returns the URL that starts a login at the default level.
func (sp *SP) LoginURL() string { return sp.cfg.loginURL }

// LogoutURL returns the URL that starts single logout.
func (sp *SP) LogoutURL() string { return sp.cfg.logoutURL }

// EntityID returns the SP's entityID.
func (sp *SP) EntityID() string { return sp.cfg.EntityID }

func orDuration(v, def time.Duration) time.Duration {
	if v == 0 {
		return def
	}
	return v
}

func orString(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func publicKeysEqual(a, b crypto.PublicKey) bool {
	k, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && k.Equal(b)
}

// levelRef returns the ClassRef that names l on the wire and in cookies.
func levelRef(l loa.Level) (string, error) {
	if ref, err := l.ClassRef(); err == nil {
		return ref, nil
	}
	return l.STORKClassRef(loa.STORKQAALevel)
}
