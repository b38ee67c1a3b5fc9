package sp

import (
	"time"

	"github.com/eidkit/eidkit/loa"
	"github.com/eidkit/eidkit/saml"
)

// NIAS attribute names (spec-digest §4.2): plain names with the basic name
// format.
const (
	AttrOIB          = "oib"               // personal identification number
	AttrGivenName    = "ime"               // given name
	AttrFamilyName   = "prezime"           // family name
	AttrDateOfBirth  = "dat_rod"           // date of birth
	AttrCountryEID   = "oznaka_drzave_eid" // eID country code, HR for domestic users
	AttrTransientTID = "tid"               // session subject id used as logout NameID
)

// eIDAS natural-person attribute names (spec-digest §1.3).
const (
	EIDASPersonIdentifier   = "http://eidas.europa.eu/attributes/naturalperson/PersonIdentifier"
	EIDASCurrentFamilyName  = "http://eidas.europa.eu/attributes/naturalperson/CurrentFamilyName"
	EIDASCurrentGivenName   = "http://eidas.europa.eu/attributes/naturalperson/CurrentGivenName"
	EIDASDateOfBirth        = "http://eidas.europa.eu/attributes/naturalperson/DateOfBirth"
	EIDASBirthName          = "http://eidas.europa.eu/attributes/naturalperson/BirthName"
	EIDASPlaceOfBirth       = "http://eidas.europa.eu/attributes/naturalperson/PlaceOfBirth"
	EIDASCurrentAddress     = "http://eidas.europa.eu/attributes/naturalperson/CurrentAddress"
	EIDASGender             = "http://eidas.europa.eu/attributes/naturalperson/Gender"
	eidasNaturalPersonSpace = "http://eidas.europa.eu/attributes/naturalperson"
)

// Identity is what a successful login yields: the typed result of a
// Response that passed every check (N24: "read the useful information out
// of it").
type Identity struct {
	// NameID is the subject's identifier and NameIDFormat its format.
	NameID       string `json:"n"`
	NameIDFormat string `json:"nf,omitempty"`
	// NameQualifier and SPNameQualifier qualify NameID; logout repeats them.
	NameQualifier   string `json:"nq,omitempty"`
	SPNameQualifier string `json:"snq,omitempty"`
	// SessionIndex names the IdP session, for single logout (N14).
	SessionIndex string `json:"si,omitempty"`
	// LoA is the achieved level and LoAClassRef its AuthnContextClassRef.
	LoA         loa.Level `json:"-"`
	LoAClassRef string    `json:"l"`
	// Issuer is the IdP's entityID.
	Issuer string `json:"iss"`
	// AuthnInstant is when the user authenticated at the IdP.
	AuthnInstant time.Time `json:"ai"`
	// SessionNotOnOrAfter is when the IdP says the session must end; zero
	// if it set no limit.
	SessionNotOnOrAfter time.Time `json:"snoa,omitempty"`
	// AssertionID is the ID of the assertion, for audit logs.
	AssertionID string `json:"aid"`
	// RequestID is the ID of the AuthnRequest answered; "" when unsolicited.
	RequestID string `json:"rid,omitempty"`
	// Attributes maps each attribute Name (NIAS "oib", eIDAS URIs) to all
	// its values in document order.
	Attributes map[string][]string `json:"a,omitempty"`
	// RawAttributes keeps every attribute with its NameFormat, FriendlyName
	// and per-value flags, in document order.
	RawAttributes []Attribute `json:"ra,omitempty"`
}

// Attribute is one saml:Attribute as received.
type Attribute struct {
	Name         string           `json:"n"`
	NameFormat   string           `json:"f,omitempty"`
	FriendlyName string           `json:"fn,omitempty"`
	Values       []AttributeValue `json:"v"`
}

// AttributeValue is one value with the eIDAS LatinScript flag (spec-digest
// §1.3): false only for a value in a non-Latin original script.
type AttributeValue struct {
	Value       string `json:"v"`
	LatinScript bool   `json:"l"`
}

// First returns the first value of the attribute with the given Name, or
// else FriendlyName, preferring a Latin-script value (spec-digest §1.3:
// "pick the LatinScript≠false value for display"); "" when absent.
func (id *Identity) First(name string) string {
	for _, byFriendly := range []bool{false, true} {
		for _, a := range id.RawAttributes {
			if (!byFriendly && a.Name == name) || (byFriendly && a.FriendlyName == name) {
				for _, v := range a.Values {
					if v.LatinScript {
						return v.Value
					}
				}
				if len(a.Values) > 0 {
					return a.Values[0].Value
				}
			}
		}
	}
	return ""
}

// Values returns every value of the attribute with the given Name.
func (id *Identity) Values(name string) []string { return id.Attributes[name] }

func convertAttributes(stmts []saml.AttributeStatement) (map[string][]string, []Attribute) {
	m := make(map[string][]string)
	var raw []Attribute
	for _, st := range stmts {
		for _, a := range st.Attributes {
			out := Attribute{Name: a.Name, NameFormat: a.NameFormat, FriendlyName: a.FriendlyName}
			for _, v := range a.Values {
				av := AttributeValue{Value: v.Value, LatinScript: true}
				for _, at := range v.Attrs {
					if at.Name.Local == "LatinScript" && at.Name.Space == eidasNaturalPersonSpace {
						av.LatinScript = at.Value != "false" && at.Value != "0"
					}
				}
				out.Values = append(out.Values, av)
				m[a.Name] = append(m[a.Name], v.Value)
			}
			raw = append(raw, out)
		}
	}
	return m, raw
}
