package idp

import (
	"crypto/ecdsa"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/beevik/etree"

	"github.com/eidkit/eidkit/loa"
	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/binding"
	"github.com/eidkit/eidkit/saml/dsig"
	"github.com/eidkit/eidkit/saml/metadata"
	"github.com/eidkit/eidkit/saml/xmlenc"
)

// Issued is a response ready to send: the serialised, signed samlp:Response
// for the ACS of the request it answers.
type Issued struct {
	// Response is the message as built (assertions are in XML only).
	Response *saml.Response
	// XML is the serialised, signed message.
	XML []byte
	// Destination is the ACS URL, from the SP's metadata.
	Destination string
	// RelayState is echoed from the request.
	RelayState string
	// SessionIndex is the SessionIndex in the AuthnStatement ("" for an
	// error status).
	SessionIndex string
	// NameID is the subject NameID issued to the SP.
	NameID saml.NameID
}

// MakeResponse builds the signed Response for a verified request and an
// authentication: one Assertion with Issuer, Subject (NameID per the
// request's NameIDPolicy, bearer SubjectConfirmation with Recipient = ACS,
// NotOnOrAfter and InResponseTo), Conditions (NotBefore, NotOnOrAfter,
// AudienceRestriction = the SP), AuthnStatement (AuthnInstant, SessionIndex,
// SessionNotOnOrAfter, AuthnContextClassRef of the achieved level) and the
// attributes as given. The assertion is always signed; the Response too
// with Config.SignResponse; the assertion is encrypted when configured for
// the SP. sessionIndex names the SSO session for this SP (N14); "" makes
// a fresh one.
//
// An achieved level that does not satisfy the request gives a
// *RefusedError with NoAuthnContext.
func (p *IdP) MakeResponse(req *Request, authn *Authentication, sessionIndex string) (*Issued, error) {
	return p.makeResponse(req, authn, sessionIndex, nil)
}

// makeResponse is MakeResponse; prior is the NameID already issued to the
// SP in this session, kept so the SP sees the same subject on step-up.
func (p *IdP) makeResponse(req *Request, authn *Authentication, sessionIndex string, prior *saml.NameID) (*Issued, error) {
	if authn == nil || authn.Subject.Value == "" {
		return nil, refuse(req, saml.StatusResponder, saml.StatusAuthnFailed, "", fmt.Errorf("%w: no subject", ErrAuthnFailed))
	}
	if !p.satisfies(authn.LoA, req) {
		return nil, refuse(req, saml.StatusResponder, saml.StatusNoAuthnContext, "",
			fmt.Errorf("%w: achieved %s", ErrNoAuthnContext, authn.LoA))
	}
	classRef, err := authn.LoA.ClassRef()
	if err != nil {
		classRef, err = authn.LoA.STORKClassRef(loa.STORKQAALevel)
		if err != nil {
			return nil, refuse(req, saml.StatusResponder, saml.StatusNoAuthnContext, "", fmt.Errorf("%w: %w", ErrNoAuthnContext, err))
		}
	}
	nameID, err := p.nameIDFor(req, authn.Subject, prior)
	if err != nil {
		return nil, refuse(req, saml.StatusRequester, saml.StatusInvalidNameIDPolicy, "", err)
	}
	if sessionIndex == "" {
		if sessionIndex, err = saml.NewID(p.cfg.Rand); err != nil {
			return nil, err
		}
	}
	now := p.cfg.Now()
	a, err := p.assertion(req, authn, nameID, classRef, sessionIndex, now)
	if err != nil {
		return nil, err
	}
	return p.finishResponse(req, a, now, sessionIndex, nameID)
}

func (p *IdP) assertion(req *Request, authn *Authentication, nameID saml.NameID, classRef, sessionIndex string, now time.Time) (*saml.Assertion, error) {
	id, err := saml.NewID(p.cfg.Rand)
	if err != nil {
		return nil, err
	}
	authnInstant := authn.AuthnInstant
	if authnInstant.IsZero() {
		authnInstant = now
	}
	sessionEnd := authn.SessionNotOnOrAfter
	if sessionEnd.IsZero() {
		sessionEnd = authnInstant.Add(p.cfg.SessionLifetime)
	}
	until := now.Add(p.cfg.AssertionLifetime)
	a := &saml.Assertion{
		ID: id, IssueInstant: now,
		Issuer: saml.NameID{Value: p.cfg.EntityID, Format: saml.NameIDFormatEntity},
		Subject: &saml.Subject{NameID: &nameID, SubjectConfirmations: []saml.SubjectConfirmation{{
			Method: saml.ConfirmationMethodBearer,
			Data: &saml.SubjectConfirmationData{NotOnOrAfter: until, Recipient: req.ACS.Location,
				InResponseTo: req.AuthnRequest.ID},
		}}},
		Conditions: &saml.Conditions{NotBefore: now.Add(-p.cfg.ClockSkew), NotOnOrAfter: until,
			AudienceRestrictions: [][]string{{req.SP.EntityID}}},
		AuthnStatements: []saml.AuthnStatement{{AuthnInstant: authnInstant, SessionIndex: sessionIndex,
			SessionNotOnOrAfter: sessionEnd, AuthnContextClassRef: classRef}},
	}
	if len(authn.Attributes) > 0 {
		a.AttributeStatements = []saml.AttributeStatement{{Attributes: authn.Attributes}}
	}
	return a, nil
}

// finishResponse signs (and maybe encrypts) the assertion and wraps it in
// the Response.
func (p *IdP) finishResponse(req *Request, a *saml.Assertion, now time.Time, sessionIndex string, nameID saml.NameID) (*Issued, error) {
	signer := p.signerFor(req.SP.Metadata)
	ael := a.Element()
	if err := signer.Sign(ael); err != nil {
		return nil, fmt.Errorf("idp: signing assertion: %w", err)
	}
	resp, err := p.statusResponse(req, &saml.Status{Code: saml.StatusSuccess}, now)
	if err != nil {
		return nil, err
	}
	if p.encryptFor(req.SP.EntityID) {
		enc, err := p.encrypt(req.SP.Metadata, ael)
		if err != nil {
			return nil, refuse(req, saml.StatusResponder, "", "", err)
		}
		resp.EncryptedAssertions = []*etree.Element{enc}
	}
	rel := resp.Element()
	if resp.EncryptedAssertions == nil {
		rel.AddChild(ael)
	}
	if p.cfg.SignResponse {
		if err := signer.Sign(rel); err != nil {
			return nil, fmt.Errorf("idp: signing response: %w", err)
		}
	}
	xml, err := serialize(rel)
	if err != nil {
		return nil, err
	}
	return &Issued{Response: resp, XML: xml, Destination: req.ACS.Location, RelayState: req.RelayState,
		SessionIndex: sessionIndex, NameID: nameID}, nil
}

// MakeStatusResponse builds a signed Response with a non-success status
// for a verified request (AuthnFailed, RequestDenied, NoPassive ...).
func (p *IdP) MakeStatusResponse(req *Request, st *saml.StatusError) (*Issued, error) {
	resp, err := p.statusResponse(req, st.Status(), p.cfg.Now())
	if err != nil {
		return nil, err
	}
	rel := resp.Element()
	if err := p.signerFor(req.SP.Metadata).Sign(rel); err != nil {
		return nil, fmt.Errorf("idp: signing response: %w", err)
	}
	xml, err := serialize(rel)
	if err != nil {
		return nil, err
	}
	return &Issued{Response: resp, XML: xml, Destination: req.ACS.Location, RelayState: req.RelayState}, nil
}

func (p *IdP) statusResponse(req *Request, st *saml.Status, now time.Time) (*saml.Response, error) {
	id, err := saml.NewID(p.cfg.Rand)
	if err != nil {
		return nil, err
	}
	return &saml.Response{StatusResponse: saml.StatusResponse{
		ID: id, InResponseTo: req.AuthnRequest.ID, IssueInstant: now, Destination: req.ACS.Location,
		Issuer: &saml.NameID{Value: p.cfg.EntityID, Format: saml.NameIDFormatEntity}, Status: st,
	}}, nil
}

// WriteResponse sends an issued response to its ACS with the HTTP-POST
// binding (the only binding Web SSO allows for responses carrying
// assertions). The destination came from metadata and is checked again by
// the binding (absolute http(s) only).
func WriteResponse(w http.ResponseWriter, is *Issued) error {
	return binding.WritePOST(w, is.Destination, binding.ParamResponse, is.XML, is.RelayState)
}

// nameIDFor applies the request's NameIDPolicy to the authenticated subject.
func (p *IdP) nameIDFor(req *Request, subject saml.NameID, prior *saml.NameID) (saml.NameID, error) {
	format := ""
	if pol := req.AuthnRequest.NameIDPolicy; pol != nil {
		format = pol.Format
	}
	if prior != nil && prior.Format == saml.NameIDFormatTransient && format == saml.NameIDFormatTransient {
		return *prior, nil
	}
	sub := saml.NameID{Value: subject.Value, Format: subject.Format}
	switch {
	case format == "" || format == saml.NameIDFormatUnspecified || format == subject.Format:
		return sub, nil
	case format == saml.NameIDFormatTransient:
		id, err := saml.NewID(p.cfg.Rand)
		return saml.NameID{Value: id, Format: format}, err
	case format == saml.NameIDFormatPersistent && len(p.cfg.PersistentIDKey) > 0:
		return saml.NameID{Value: p.pairwise(req.SP.EntityID, subject.Value), Format: format,
			NameQualifier: p.cfg.EntityID, SPNameQualifier: req.SP.EntityID}, nil
	default:
		return saml.NameID{}, fmt.Errorf("%w: format %q", ErrNameIDPolicy, format)
	}
}

// checkNameIDPolicy refuses formats nameIDFor can never satisfy, before
// the user is asked anything. The subject's own format is only known
// later, so any format might still match it except these.
func (p *IdP) checkNameIDPolicy(pol *saml.NameIDPolicy) error {
	if pol == nil {
		return nil
	}
	if pol.Format == saml.NameIDFormatEncrypted {
		return fmt.Errorf("%w: encrypted NameID not supported", ErrNameIDPolicy)
	}
	if pol.SPNameQualifier != "" {
		return fmt.Errorf("%w: SPNameQualifier not supported", ErrNameIDPolicy)
	}
	return nil
}

// pairwise derives a per-SP persistent pseudonym.
func (p *IdP) pairwise(sp, subject string) string {
	m := hmac.New(sha256.New, p.cfg.PersistentIDKey)
	m.Write([]byte(sp))
	m.Write([]byte{0})
	m.Write([]byte(subject))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// signerFor picks the signature method for an SP: the first alg:SigningMethod
// in its metadata that Key can make, else RSA-PSS/ECDSA for an eIDAS SP,
// else the configured default.
func (p *IdP) signerFor(md *metadata.EntityDescriptor) *dsig.Signer {
	s := &dsig.Signer{Key: p.cfg.Key, Certificates: p.cfg.Certificates[:1], Method: p.cfg.SignatureMethod}
	if md == nil {
		return s
	}
	methods := slices.Clone(md.Extensions.SigningMethods)
	if md.SP != nil {
		methods = append(methods, md.SP.Extensions.SigningMethods...)
	}
	for _, m := range methods {
		if p.canSign(m.Algorithm) {
			s.Method = m.Algorithm
			return s
		}
	}
	if md.Extensions.SPType != "" || md.Extensions.NodeCountry != "" {
		if _, ok := p.cfg.Key.Public().(*rsa.PublicKey); ok {
			s.Method = dsig.RSAPSSSHA256
		}
	}
	return s
}

// canSign reports whether Key can make signatures with method.
func (p *IdP) canSign(method string) bool {
	switch p.cfg.Key.Public().(type) {
	case *rsa.PublicKey:
		return method == dsig.RSASHA256 || method == dsig.RSASHA384 || method == dsig.RSASHA512 ||
			strings.HasPrefix(method, "http://www.w3.org/2007/05/xmldsig-more#sha") && strings.HasSuffix(method, "-rsa-MGF1")
	case *ecdsa.PublicKey:
		return method == dsig.ECDSASHA256 || method == dsig.ECDSASHA384 || method == dsig.ECDSASHA512
	}
	return false
}

func (p *IdP) encryptFor(sp string) bool { return p.cfg.EncryptAssertions || p.cfg.encryptFor[sp] }

// encrypt encrypts the signed assertion to the SP's first encryption
// certificate.
func (p *IdP) encrypt(md *metadata.EntityDescriptor, ael *etree.Element) (*etree.Element, error) {
	certs := md.SP.EncryptionCertificates()
	if len(certs) == 0 {
		return nil, fmt.Errorf("idp: SP %q has no encryption certificate", md.EntityID)
	}
	e := &xmlenc.Encrypter{Certificate: certs[0], Rand: p.cfg.Rand}
	enc, err := e.EncryptAssertion(ael)
	if err != nil {
		return nil, fmt.Errorf("idp: encrypting assertion: %w", err)
	}
	return enc, nil
}

// serialize writes el as a document with the settings signed XML needs.
func serialize(el *etree.Element) ([]byte, error) {
	doc := etree.NewDocument()
	doc.SetRoot(el)
	doc.WriteSettings.CanonicalText = true
	doc.WriteSettings.CanonicalAttrVal = true
	return doc.WriteToBytes()
}
