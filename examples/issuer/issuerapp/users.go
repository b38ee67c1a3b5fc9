package issuerapp

import (
	"io"
	"sync"
	"time"

	"github.com/eidkit/eidkit/account/password"
	"github.com/eidkit/eidkit/loa"
	"github.com/eidkit/eidkit/saml"
)

// Demo credentials, printed at start and shown on the login page. They are
// public on purpose: the issuer listens on loopback only and its users are
// fictitious (the OIBs are valid-looking demo values, not real people).
const (
	DemoUserAna      = "ana"
	DemoPasswordAna  = "ana-demo-2026"
	DemoUserIvan     = "ivan"
	DemoPasswordIvan = "ivan-demo-2026"
	// TOTPFile is the file in the data directory holding ivan's base32
	// TOTP secret (created on first run).
	TOTPFile = "ivan.totp"
)

// user is one demo account: an argon2id password hash (account/password),
// an optional TOTP second factor, and the attributes released.
type user struct {
	name  string
	hash  string
	totp  *totpVerifier // nil: password only
	oib   string
	attrs []saml.Attribute

	mu          sync.Mutex
	failures    int       // consecutive wrong passwords
	lockedUntil time.Time // zero: not locked
}

// Account lockout: after lockoutFailures consecutive wrong passwords a
// user is refused for lockoutPeriod (guessing across many sign-ins; one
// sign-in already ends after maxAttempts).
const (
	lockoutFailures = 10
	lockoutPeriod   = 15 * time.Minute
)

// passwordLevel is what a password alone reaches, and secondFactorLevel
// what a password plus a one-time code reaches.
var (
	passwordLevel     = loa.Notified(loa.Substantial)
	secondFactorLevel = loa.Notified(loa.High)
)

// directory holds the demo users.
type directory struct {
	hasher *password.Hasher
	users  map[string]*user
}

// newDirectory hashes the demo passwords with pw (the zero Config is
// account/password's OWASP default) and loads (or creates) ivan's TOTP
// secret in dir.
func newDirectory(dir string, rnd io.Reader, pw password.Config) (*directory, error) {
	h, err := password.New(pw)
	if err != nil {
		return nil, err
	}
	key, err := loadOrCreateSecret(dir, TOTPFile, 20, rnd)
	if err != nil {
		return nil, err
	}
	d := &directory{hasher: h, users: map[string]*user{}}
	ana := &user{name: DemoUserAna, oib: "69435151530", attrs: attrs("69435151530", []string{"Ana", "Marija"}, "Anić", "1985-03-14")}
	ivan := &user{name: DemoUserIvan, oib: "12345678903", totp: &totpVerifier{key: key},
		attrs: attrs("12345678903", []string{"Ivan"}, "Horvat", "1979-11-02")}
	for u, pw := range map[*user]string{ana: DemoPasswordAna, ivan: DemoPasswordIvan} {
		if u.hash, err = h.Hash(pw); err != nil {
			return nil, err
		}
		d.users[u.name] = u
	}
	return d, nil
}

// checkPassword returns the user when name and pw match at now; unknown
// names and locked accounts spend the same time as known ones, and all
// failures look alike to the browser.
func (d *directory) checkPassword(name, pw string, now time.Time) (*user, error) {
	u, ok := d.users[name]
	if !ok {
		return nil, d.hasher.VerifyDummy(pw)
	}
	u.mu.Lock()
	locked := now.Before(u.lockedUntil)
	u.mu.Unlock()
	if locked {
		_ = d.hasher.VerifyDummy(pw)
		return nil, ErrLocked
	}
	_, err := d.hasher.Verify(pw, u.hash)
	u.mu.Lock()
	defer u.mu.Unlock()
	if err != nil {
		if u.failures++; u.failures >= lockoutFailures {
			u.failures, u.lockedUntil = 0, now.Add(lockoutPeriod)
		}
		return nil, err
	}
	u.failures = 0
	return u, nil
}

// attrs builds the NIAS attributes (plain names, basic NameFormat) and
// their eIDAS counterparts (URIs), so the e-service sees both kinds.
func attrs(oib string, given []string, family, born string) []saml.Attribute {
	basic := func(name string, vals ...string) saml.Attribute {
		a := saml.Attribute{Name: name, NameFormat: saml.AttrNameFormatBasic}
		for _, v := range vals {
			a.Values = append(a.Values, saml.AttributeValue{Value: v})
		}
		return a
	}
	uri := func(name, friendly, val string) saml.Attribute {
		return saml.Attribute{Name: name, NameFormat: saml.AttrNameFormatURI, FriendlyName: friendly,
			Values: []saml.AttributeValue{{Value: val}}}
	}
	return []saml.Attribute{
		basic("oib", oib),
		basic("ime", given...),
		basic("prezime", family),
		basic("dat_rod", born),
		basic("oznaka_drzave_eid", "HR"),
		uri("http://eidas.europa.eu/attributes/naturalperson/PersonIdentifier", "PersonIdentifier", "HR/HR/"+oib),
	}
}
