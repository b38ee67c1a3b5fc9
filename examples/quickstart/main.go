package main

import (
	"crypto"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/beevik/etree"

	"github.com/eidkit/eidkit/internal/devcert"
	"github.com/eidkit/eidkit/loa"
	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/binding"
	"github.com/eidkit/eidkit/saml/dsig"
	"github.com/eidkit/eidkit/saml/metadata"
	"github.com/eidkit/eidkit/saml/xmlenc"
)

func main() {
	dir := flag.String("data", "eidkit-data", "directory for the demo keys (created on first run)")
	flag.Parse()
	if err := run(os.Stdout, *dir, time.Now); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

type keys struct {
	idp *devcert.Pair // P-256: signs metadata and assertions
	sp  *devcert.Pair // RSA-3072: signs requests (eIDAS minimum size) and decrypts
}

func run(w io.Writer, dir string, now func() time.Time) error {
	k, err := loadKeys(dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "keys in %s (generated on first run, reused afterwards)\n\n", dir)
	steps := []func(io.Writer, keys, func() time.Time) error{
		stepMetadata, stepRedirect, stepEncryption, stepLoA,
	}
	for _, step := range steps {
		if err := step(w, k, now); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, "next: go test ./...   (the whole suite; see README.md)")
	return nil
}

func loadKeys(dir string) (keys, error) {
	idp, err := devcert.LoadOrCreate(dir, "idp", devcert.Options{
		Algorithm: devcert.P256,
		Subject:   pkix.Name{CommonName: "demo-idp", Locality: []string{"ZAGREB"}, Organization: []string{"eidkit demo"}, Country: []string{"HR"}},
	})
	if err != nil {
		return keys{}, err
	}
	sp, err := devcert.LoadOrCreate(dir, "sp", devcert.Options{Algorithm: devcert.RSA3072})
	if err != nil {
		return keys{}, err
	}
	return keys{idp: idp, sp: sp}, nil
}

// stepMetadata publishes signed IdP metadata and reads it back as a partner
// would: trusting only the certificate exchanged out of band (N23).
func stepMetadata(w io.Writer, k keys, now func() time.Time) error {
	entityID, err := metadata.DNEntityID(k.idp.Certificate)
	if err != nil {
		return err
	}
	ed, err := metadata.NewIDP(metadata.IDPConfig{
		EntityID: entityID,
		SSO: []metadata.Endpoint{
			{Binding: saml.BindingHTTPRedirect, Location: "https://idp.example.hr/sso-http"},
			{Binding: saml.BindingHTTPPOST, Location: "https://idp.example.hr/sso-http"},
		},
		SLO: []metadata.Endpoint{
			{Binding: saml.BindingSOAP, Location: "https://idp.example.hr/ssout-soap"},
		},
		SigningCertificates: []*x509.Certificate{k.idp.Certificate},
		NameIDFormats:       []string{saml.NameIDFormatPersistent},
		ValidFor:            24 * time.Hour,
		Now:                 now,
	})
	if err != nil {
		return err
	}
	signed, err := ed.Sign(&dsig.Signer{Key: k.idp.Key, Certificates: []*x509.Certificate{k.idp.Certificate}})
	if err != nil {
		return err
	}
	parsed, err := metadata.Parse(signed, metadata.ParseOptions{
		Verifier: &dsig.Verifier{Certificates: []*x509.Certificate{k.idp.Certificate}},
		Now:      now,
	})
	if err != nil {
		return err
	}
	sso, err := parsed.IDP.SSOEndpoint(saml.BindingHTTPRedirect)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "1. signed IdP metadata (ECDSA P-256), verified against the configured certificate")
	fmt.Fprintf(w, "   entityID     %s\n", parsed.EntityID)
	fmt.Fprintf(w, "   SSO redirect %s\n", sso.Location)
	fmt.Fprintf(w, "   valid until  %s (%d bytes)\n", parsed.ValidUntil.UTC().Format(time.RFC3339), len(signed))
	return nil
}

// stepRedirect sends an AuthnRequest asking for LoA substantial over the
// HTTP-Redirect binding, signed with RSA-PSS, and verifies it under the eIDAS
// algorithm policy as an IdP would.
func stepRedirect(w io.Writer, k keys, now func() time.Time) error {
	id, err := saml.NewID(nil)
	if err != nil {
		return err
	}
	req := &saml.AuthnRequest{
		ID:                          id,
		IssueInstant:                now(),
		Destination:                 "https://idp.example.hr/sso-http",
		Issuer:                      &saml.NameID{Value: "https://eservice.example.hr/saml/metadata"},
		AssertionConsumerServiceURL: "https://eservice.example.hr/saml/acs",
		ProtocolBinding:             saml.BindingHTTPPOST,
		RequestedAuthnContext: &saml.RequestedAuthnContext{
			Comparison: saml.ComparisonMinimum,
			ClassRefs:  []string{loa.EIDASSubstantial},
		},
	}
	doc := etree.NewDocumentWithRoot(req.Element())
	xml, err := doc.WriteToBytes()
	if err != nil {
		return err
	}
	u, err := (&binding.Redirect{
		Destination: req.Destination, Param: binding.ParamRequest, XML: xml,
		RelayState: "demo", Key: k.sp.Key, SigAlg: dsig.RSAPSSSHA256,
	}).URL()
	if err != nil {
		return err
	}
	q, err := rawQuery(u)
	if err != nil {
		return err
	}
	msg, err := binding.DecodeRedirectQuery(q, binding.Limits{})
	if err != nil {
		return err
	}
	if _, err := msg.Verify([]*x509.Certificate{k.sp.Certificate}, dsig.EIDASPolicy()); err != nil {
		return err
	}
	got, err := saml.ParseAuthnRequestBytes(msg.XML, saml.Limits{})
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "2. AuthnRequest over HTTP-Redirect, query signed with RSA-PSS (RSA-3072), verified under the eIDAS policy")
	fmt.Fprintf(w, "   URL length   %d bytes, SigAlg %s\n", len(u), msg.SigAlg)
	fmt.Fprintf(w, "   asks for     %s %v\n", got.RequestedAuthnContext.Comparison, got.RequestedAuthnContext.ClassRefs)
	return nil
}

// stepEncryption encrypts an assertion for the SP as eIDAS nodes do and
// decrypts it with the SP's key.
func stepEncryption(w io.Writer, k keys, now func() time.Time) error {
	id, err := saml.NewID(nil)
	if err != nil {
		return err
	}
	a := &saml.Assertion{
		ID: id, IssueInstant: now(),
		Issuer:  saml.NameID{Value: "https://idp.example.hr/metadata"},
		Subject: &saml.Subject{NameID: &saml.NameID{Value: "HR/HR/12345678901", Format: saml.NameIDFormatPersistent}},
	}
	enc, err := (&xmlenc.Encrypter{Certificate: k.sp.Certificate}).EncryptAssertion(a.Element())
	if err != nil {
		return err
	}
	rsaKey, ok := k.sp.Key.(*rsa.PrivateKey)
	if !ok {
		return fmt.Errorf("sp key is %T, want RSA", k.sp.Key)
	}
	plain, err := (&xmlenc.Decrypter{Keys: []crypto.Decrypter{rsaKey}}).Decrypt(enc)
	if err != nil {
		return err
	}
	back, err := saml.ParseAssertion(plain)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "3. EncryptedAssertion: AES-256-GCM data, RSA-OAEP (SHA-256, MGF1-SHA256) key transport")
	fmt.Fprintf(w, "   decrypted    assertion %s about %s\n", back.ID, back.Subject.NameID.Value)
	return nil
}

// stepLoA shows the default QAA<->eIDAS mapping and N11: a higher level than
// requested is always admitted.
func stepLoA(w io.Writer, _ keys, _ func() time.Time) error {
	reg, err := loa.New(loa.RegistryConfig{})
	if err != nil {
		return err
	}
	m := reg.Mapping()
	fmt.Fprintln(w, "4. levels of assurance (N8-N12)")
	for _, tier := range []loa.Tier{loa.Low, loa.Substantial, loa.High} {
		fmt.Fprintf(w, "   eIDAS %-11s <-> STORK QAA %d\n", tier, m.QAAFor(tier))
	}
	req, err := reg.ParseRequested("minimum", []string{loa.EIDASSubstantial})
	if err != nil {
		return err
	}
	for _, granted := range []loa.Level{loa.Notified(loa.Low), loa.Notified(loa.High), loa.STORK(4)} {
		fmt.Fprintf(w, "   granted %-40s satisfies minimum substantial: %v\n", granted, reg.Satisfies(granted, req))
	}
	return nil
}
