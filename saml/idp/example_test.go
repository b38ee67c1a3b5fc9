package idp_test

import (
	"crypto/x509"
	"fmt"
	"html/template"
	"net/http"
	"time"

	"github.com/eidkit/eidkit/loa"
	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/idp"
	"github.com/eidkit/eidkit/saml/metadata"
	"github.com/eidkit/eidkit/saml/partner"
	"github.com/eidkit/eidkit/saml/samltest"
)

var loginForm = template.Must(template.New("login").Parse(`<!DOCTYPE html>
<html lang="hr"><head><meta charset="utf-8"><title>Prijava</title></head><body><main>
<h1>Prijava</h1><form method="post" action="{{.}}">
<label for="u">Korisničko ime</label> <input id="u" name="user" autocomplete="username">
<label for="p">Lozinka</label> <input id="p" name="password" type="password" autocomplete="current-password">
<button>Prijavi se</button></form></main></body></html>`))

// passwordForm is an Authenticator: it shows a form on the first step and
// checks the posted credentials on the next (several round trips fit).
func passwordForm(w http.ResponseWriter, r *http.Request, req *idp.Request) (*idp.Authentication, error) {
	if r.Method != http.MethodPost || r.URL.Path != "/saml"+idp.PathLogin {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = loginForm.Execute(w, req.LoginURL)
		return nil, idp.ErrInProgress
	}
	if r.PostFormValue("user") != "ana" || r.PostFormValue("password") != "correct horse battery staple" {
		return nil, idp.ErrAuthnFailed
	}
	return &idp.Authentication{
		Subject: saml.NameID{Value: "12345678903", Format: saml.NameIDFormatPersistent},
		Attributes: []saml.Attribute{
			{Name: "oib", NameFormat: saml.AttrNameFormatBasic, Values: []saml.AttributeValue{{Value: "12345678903"}}},
			{Name: "ime", NameFormat: saml.AttrNameFormatBasic, Values: []saml.AttributeValue{{Value: "Ana"}}},
		},
		LoA: loa.Notified(loa.Low),
	}, nil
}

// ExampleNew configures a credential issuer with a password form, trusting
// one e-service from its metadata, and mounts the endpoints.
func ExampleNew() {
	key, err := samltest.GenerateKeyPair(samltest.P256, samltest.CertOptions{}) // load your own key in production
	if err != nil {
		panic(err)
	}
	spKey, err := samltest.GenerateKeyPair(samltest.P256, samltest.CertOptions{})
	if err != nil {
		panic(err)
	}
	now := func() time.Time { return time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC) }
	spMD, err := metadata.NewSP(metadata.SPConfig{
		EntityID:            "https://eusluga.example.hr/saml/metadata",
		ACS:                 []metadata.Endpoint{{Binding: saml.BindingHTTPPOST, Location: "https://eusluga.example.hr/saml/acs"}},
		SigningCertificates: []*x509.Certificate{spKey.Certificate},
		Now:                 now,
	})
	if err != nil {
		panic(err)
	}
	// In production: partner.New with the SP's signed metadata URL.
	sps, err := partner.NewStatic(partner.StaticConfig{Environment: partner.EnvTest, Now: now,
		Partners: []*partner.Partner{{EntityID: spMD.EntityID, Metadata: spMD}}})
	if err != nil {
		panic(err)
	}
	issuer, err := idp.New(idp.Config{
		EntityID:      "https://izdavatelj.example.hr/saml/metadata",
		BaseURL:       "https://izdavatelj.example.hr/saml",
		Key:           key.Key,
		Certificates:  []*x509.Certificate{key.Certificate},
		SPs:           sps,
		Authenticator: idp.AuthenticatorFunc(passwordForm),
		Levels:        []loa.Level{loa.Notified(loa.Low)},
		Now:           now,
	})
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	issuer.Mount(mux, "/saml")

	md, err := issuer.Metadata()
	if err != nil {
		panic(err)
	}
	for _, ep := range md.IDP.SingleSignOnServices {
		fmt.Println(ep.Binding, ep.Location)
	}
	// Output:
	// urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect https://izdavatelj.example.hr/saml/sso
	// urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST https://izdavatelj.example.hr/saml/sso
}
