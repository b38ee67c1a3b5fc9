package sp_test

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"time"

	"github.com/eidkit/eidkit/loa"
	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/metadata"
	"github.com/eidkit/eidkit/saml/partner"
	"github.com/eidkit/eidkit/saml/samltest"
	"github.com/eidkit/eidkit/saml/sp"
)

// newExampleSP configures an SP for an e-service behind the broker; in
// production the keys come from files and the IdP from partner.New with the
// broker's metadata URL.
func newExampleSP() *sp.SP {
	spKeys, _ := samltest.GenerateKeyPair(samltest.RSA2048, samltest.CertOptions{})
	idpKeys, _ := samltest.GenerateKeyPair(samltest.RSA2048, samltest.CertOptions{})
	idpMeta, _ := metadata.NewIDP(metadata.IDPConfig{
		EntityID:            "https://broker.example.hr/metadata",
		SSO:                 []metadata.Endpoint{{Binding: saml.BindingHTTPRedirect, Location: "https://broker.example.hr/sso"}},
		SigningCertificates: []*x509.Certificate{idpKeys.Certificate},
	})
	idps, _ := partner.Static(partner.EnvTest, &partner.Partner{EntityID: idpMeta.EntityID, Metadata: idpMeta})

	s, err := sp.New(sp.Config{
		EntityID:           "https://eservice.example.hr/saml/metadata",
		BaseURL:            "https://eservice.example.hr/saml",
		Key:                spKeys.Key,
		Certificate:        spKeys.Certificate,
		IdPEntityID:        "https://broker.example.hr/metadata",
		IdPs:               idps,
		CookieKey:          bytes.Repeat([]byte{0x42}, sp.CookieKeySize), // use 32 secret random bytes
		DefaultLevel:       loa.Notified(loa.Low),
		SessionMaxAge:      4 * time.Hour,    // N16: the e-service chooses
		SessionIdleTimeout: 15 * time.Minute, // N16
	})
	if err != nil {
		panic(err)
	}
	return s
}

// ExampleNew configures the SP template and mounts its endpoints.
func ExampleNew() {
	s := newExampleSP()
	mux := http.NewServeMux()
	s.Mount(mux)
	fmt.Println(s.ACSURL())
	fmt.Println(s.MetadataURL())

	// A misconfiguration fails at start, naming the field.
	_, err := sp.New(sp.Config{EntityID: "x", BaseURL: "http://eservice.example.hr/saml"})
	fmt.Println(err != nil)
	// Output:
	// https://eservice.example.hr/saml/acs
	// https://eservice.example.hr/saml/metadata
	// true
}

// ExampleSP_RequireLoA guards a page with a minimum level (N11): without a
// session the user is sent to the IdP to log in at substantial; a session at
// a lower level steps up (N12); a higher one is admitted.
func ExampleSP_RequireLoA() {
	s := newExampleSP()
	mux := http.NewServeMux()
	s.Mount(mux)
	mux.Handle("GET /tax-return", s.RequireLoA(loa.Notified(loa.Substantial))(http.HandlerFunc(
		func(w http.ResponseWriter, r *http.Request) {
			id := sp.IdentityFromContext(r.Context())
			fmt.Fprintf(w, "Hello %s (OIB %s)", id.First(sp.AttrGivenName), id.First(sp.AttrOIB))
		})))

	w := httptest.NewRecorder()
	mux.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "https://eservice.example.hr/tax-return", nil))
	loc, _ := url.Parse(w.Header().Get("Location"))
	fmt.Println(w.Code, loc.Host+loc.Path)
	// Output: 302 broker.example.hr/sso
}
