package metadata

import (
	"crypto/x509"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/beevik/etree"

	"github.com/eidkit/eidkit/internal/xmlutil"
	"github.com/eidkit/eidkit/saml"
)

// roleParser accumulates one role descriptor.
type roleParser struct {
	entityID, role, path string
	rd                   *RoleDescriptor
	seenExt              bool
	counts               map[string]int
}

func newRoleParser(el *etree.Element, rd *RoleDescriptor, entityID, path string) (*roleParser, error) {
	rp := &roleParser{entityID: entityID, role: el.Tag, path: path, rd: rd, counts: map[string]int{}}
	var err error
	if rd.ID, _, err = attr(el, "ID"); err != nil {
		return nil, err
	}
	if rd.ValidUntil, rd.CacheDuration, err = validity(el); err != nil {
		return nil, err
	}
	if _, rd.ProtocolSupportEnumeration, err = supportsSAML2(el); err != nil {
		return nil, err
	}
	if rd.ErrorURL, _, err = attr(el, "errorURL"); err != nil {
		return nil, err
	}
	return rp, nil
}

// child handles the children every SSO role descriptor has. It reports
// false for a child the caller must handle.
func (rp *roleParser) child(c *etree.Element) (bool, error) {
	if c.NamespaceURI() == saml.NSDSig && c.Tag == "Signature" {
		return true, nil
	}
	if c.NamespaceURI() != saml.NSMetadata {
		return false, nil
	}
	n := rp.counts[c.Tag]
	p := fmt.Sprintf("%s/%s[%d]", rp.path, c.Tag, n)
	rd := rp.rd
	var err error
	switch c.Tag {
	case "Extensions":
		if rp.seenExt {
			return true, malformed("%s: more than one Extensions", rp.path)
		}
		rp.seenExt = true
		rd.Extensions, err = parseExtensions(c, p)
	case "KeyDescriptor":
		var kd KeyDescriptor
		kd, err = parseKeyDescriptor(c, rp.entityID, rp.role, n)
		rd.KeyDescriptors = append(rd.KeyDescriptors, kd)
	case "ArtifactResolutionService":
		err = appendIndexed(&rd.ArtifactResolutionServices, c, p)
	case "SingleLogoutService":
		err = appendEndpoint(&rd.SingleLogoutServices, c, p)
	case "ManageNameIDService":
		err = appendEndpoint(&rd.ManageNameIDServices, c, p)
	case "NameIDFormat":
		var f string
		if f, err = text(c); err == nil && f != "" { // an empty one says nothing
			rd.NameIDFormats = append(rd.NameIDFormats, f)
		}
	case "Organization", "ContactPerson":
	default:
		return false, nil
	}
	rp.counts[c.Tag]++
	return true, err
}

// children walks the role descriptor's child elements: those every SSO
// role has go to child, the rest to roleChild with their path.
func (rp *roleParser) children(el *etree.Element, roleChild func(c *etree.Element, path string) error) error {
	for _, c := range el.ChildElements() {
		handled, err := rp.child(c)
		if err != nil {
			return err
		}
		if handled {
			continue
		}
		p := fmt.Sprintf("%s/%s[%d]", rp.path, c.Tag, rp.counts[c.Tag])
		rp.counts[c.Tag]++
		if err := roleChild(c, p); err != nil {
			return err
		}
	}
	return nil
}

func parseSP(el *etree.Element, entityID, path string) (*SPSSODescriptor, error) {
	sp := &SPSSODescriptor{}
	rp, err := newRoleParser(el, &sp.RoleDescriptor, entityID, path)
	if err != nil {
		return nil, err
	}
	if sp.AuthnRequestsSigned, err = boolAttr(el, "AuthnRequestsSigned"); err != nil {
		return nil, err
	}
	if sp.WantAssertionsSigned, err = boolAttr(el, "WantAssertionsSigned"); err != nil {
		return nil, err
	}
	err = rp.children(el, func(c *etree.Element, p string) error {
		switch {
		case is(c, saml.NSMetadata, "AssertionConsumerService"):
			return appendIndexed(&sp.AssertionConsumerServices, c, p)
		case is(c, saml.NSMetadata, "AttributeConsumingService"):
			acs, err := parseAttributeConsumingService(c, p)
			sp.AttributeConsumingServices = append(sp.AttributeConsumingServices, acs)
			return err
		}
		return malformed("%s: unexpected element {%s}%s", path, c.NamespaceURI(), c.Tag)
	})
	if err != nil {
		return nil, err
	}
	if len(sp.AssertionConsumerServices) == 0 {
		return nil, malformed("%s: no AssertionConsumerService", path)
	}
	if err := uniqueIndexes(sp.AssertionConsumerServices, path+"/AssertionConsumerService"); err != nil {
		return nil, err
	}
	if err := uniqueACSIndexes(sp.AttributeConsumingServices, path); err != nil {
		return nil, err
	}
	return sp, uniqueIndexes(sp.ArtifactResolutionServices, path+"/ArtifactResolutionService")
}

func parseIDP(el *etree.Element, entityID, path string) (*IDPSSODescriptor, error) {
	idp := &IDPSSODescriptor{}
	rp, err := newRoleParser(el, &idp.RoleDescriptor, entityID, path)
	if err != nil {
		return nil, err
	}
	if idp.WantAuthnRequestsSigned, err = boolAttr(el, "WantAuthnRequestsSigned"); err != nil {
		return nil, err
	}
	err = rp.children(el, func(c *etree.Element, p string) error {
		return idpChild(idp, c, p, path)
	})
	if err != nil {
		return nil, err
	}
	if len(idp.SingleSignOnServices) == 0 {
		return nil, malformed("%s: no SingleSignOnService", path)
	}
	return idp, uniqueIndexes(idp.ArtifactResolutionServices, path+"/ArtifactResolutionService")
}

func idpChild(idp *IDPSSODescriptor, c *etree.Element, p, path string) error {
	switch {
	case is(c, saml.NSMetadata, "SingleSignOnService"):
		return appendEndpoint(&idp.SingleSignOnServices, c, p)
	case is(c, saml.NSMetadata, "NameIDMappingService"):
		return appendEndpoint(&idp.NameIDMappingServices, c, p)
	case is(c, saml.NSMetadata, "AssertionIDRequestService"):
		return appendEndpoint(&idp.AssertionIDRequestServices, c, p)
	case is(c, saml.NSMetadata, "AttributeProfile"):
		t, err := text(c)
		idp.AttributeProfiles = append(idp.AttributeProfiles, t)
		return err
	case is(c, saml.NSAssertion, "Attribute"):
		a, err := parseAttribute(c, p)
		idp.Attributes = append(idp.Attributes, a)
		return err
	}
	return malformed("%s: unexpected element {%s}%s", path, c.NamespaceURI(), c.Tag)
}

// parseKeyDescriptor reads one md:KeyDescriptor. Certificates are decoded
// but not checked for expiry or chained: the metadata vouches for them.
func parseKeyDescriptor(el *etree.Element, entityID, role string, index int) (KeyDescriptor, error) {
	var kd KeyDescriptor
	certErr := func(err error) error {
		return &CertificateError{EntityID: entityID, Role: role, KeyDescriptor: index, Err: err}
	}
	use, _, err := attr(el, "use")
	if err != nil {
		return kd, err
	}
	switch KeyUse(use) {
	case KeyUseAny, KeyUseSigning, KeyUseEncryption:
		kd.Use = KeyUse(use)
	default:
		return kd, malformed("%s KeyDescriptor[%d]: bad use %q", role, index, use)
	}
	keyInfos := 0
	for _, c := range el.ChildElements() {
		switch {
		case is(c, saml.NSDSig, "KeyInfo"):
			keyInfos++
			certs, err := keyInfoCertificates(c)
			if err != nil {
				return kd, certErr(err)
			}
			kd.Certificates = append(kd.Certificates, certs...)
		case is(c, saml.NSMetadata, "EncryptionMethod"):
			alg, err := requiredAttr(c, "Algorithm")
			if err != nil {
				return kd, err
			}
			kd.EncryptionMethods = append(kd.EncryptionMethods, alg)
		}
	}
	if keyInfos != 1 {
		return kd, certErr(fmt.Errorf("want one ds:KeyInfo, found %d", keyInfos))
	}
	if len(kd.Certificates) == 0 {
		return kd, certErr(errors.New("no ds:X509Certificate"))
	}
	return kd, nil
}

// keyInfoCertificates decodes every ds:X509Data/ds:X509Certificate.
func keyInfoCertificates(ki *etree.Element) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	for _, xd := range ki.ChildElements() {
		if !is(xd, saml.NSDSig, "X509Data") {
			continue
		}
		for _, xc := range xd.ChildElements() {
			if !is(xc, saml.NSDSig, "X509Certificate") {
				continue
			}
			cert, err := decodeCertificate(xc)
			if err != nil {
				return nil, err
			}
			certs = append(certs, cert)
		}
	}
	return certs, nil
}

// MaxCertificateBytes caps the DER size of one ds:X509Certificate in
// metadata; real certificates are a few kilobytes.
const MaxCertificateBytes = 64 << 10

func decodeCertificate(el *etree.Element) (*x509.Certificate, error) {
	t, err := saml.Text(el)
	if err != nil {
		return nil, err
	}
	der, err := xmlutil.DecodeBase64(t, MaxCertificateBytes)
	if err != nil {
		return nil, fmt.Errorf("ds:X509Certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("ds:X509Certificate: %w", err)
	}
	return cert, nil
}

func appendEndpoint(dst *[]Endpoint, el *etree.Element, path string) error {
	ep, err := parseEndpoint(el, path)
	*dst = append(*dst, ep)
	return err
}

func appendIndexed(dst *[]IndexedEndpoint, el *etree.Element, path string) error {
	ie := IndexedEndpoint{}
	var err error
	if ie.Endpoint, err = parseEndpoint(el, path); err != nil {
		return err
	}
	if ie.Index, err = indexAttr(el, path); err != nil {
		return err
	}
	if ie.IsDefault, err = optionalBoolAttr(el, "isDefault"); err != nil {
		return err
	}
	*dst = append(*dst, ie)
	return nil
}

func indexAttr(el *etree.Element, path string) (int, error) {
	v, err := requiredAttr(el, "index")
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 16)
	if err != nil {
		return 0, malformed("%s/@index: %q is not an xs:unsignedShort", path, v)
	}
	return int(n), nil
}

func parseEndpoint(el *etree.Element, path string) (Endpoint, error) {
	var ep Endpoint
	var err error
	if ep.Binding, _, err = attr(el, "Binding"); err != nil {
		return ep, err
	}
	if ep.Location, _, err = attr(el, "Location"); err != nil {
		return ep, err
	}
	if ep.ResponseLocation, _, err = attr(el, "ResponseLocation"); err != nil {
		return ep, err
	}
	return ep, checkEndpoint(ep, path)
}

func uniqueIndexes(eps []IndexedEndpoint, path string) error {
	seen := map[int]bool{}
	for _, ep := range eps {
		if seen[ep.Index] {
			return malformed("%s: duplicate index %d", path, ep.Index)
		}
		seen[ep.Index] = true
	}
	return nil
}

func uniqueACSIndexes(svcs []AttributeConsumingService, path string) error {
	seen := map[int]bool{}
	for _, s := range svcs {
		if seen[s.Index] {
			return malformed("%s/AttributeConsumingService: duplicate index %d", path, s.Index)
		}
		seen[s.Index] = true
	}
	return nil
}
