package policy

import (
	"fmt"
	"strings"
)

// Code identifies a violated rule. Codes are stable: callers may store
// them and branch on them.
type Code string

// Violation codes.
const (
	CodeTooShort     Code = "length.min"
	CodeTooLong      Code = "length.max"
	CodeNoUpper      Code = "composition.upper"
	CodeNoLower      Code = "composition.lower"
	CodeNoDigit      Code = "composition.digit"
	CodeNoSpecial    Code = "composition.special"
	CodeSequence     Code = "pattern.sequence"
	CodeKeyboardWalk Code = "pattern.keyboard"
	CodeRepeated     Code = "pattern.repeat"
	CodeContextWord  Code = "context.word"
	CodeDate         Code = "pattern.date"
	CodeMonthName    Code = "pattern.month"
	CodePersonalName Code = "dictionary.name"
	CodeCommon       Code = "blocklist.common"
	CodeBreached     Code = "blocklist.breached"
	// CodeReused is reported by the account lifecycle when a new password
	// matches one of the last Profile.History passwords.
	CodeReused Code = "history.reused"
)

// Violation is one broken rule.
type Violation struct {
	Code Code `json:"code"`
	// Params holds the rule's parameters and what matched, e.g.
	// {"min": "12", "length": "9"} or {"match": "1234"}.
	Params map[string]string `json:"params,omitempty"`
	// English and Czech are messages for the user.
	English string `json:"en"`
	Czech   string `json:"cs"`
}

// NewViolation builds a violation with its messages.
func NewViolation(code Code, params map[string]string) Violation {
	en, cs := messages(code, params)
	return Violation{Code: code, Params: params, English: en, Czech: cs}
}

func messages(code Code, p map[string]string) (en, cs string) {
	m := p["match"]
	switch code {
	case CodeTooShort:
		return fmt.Sprintf("The password must have at least %s characters (it has %s).", p["min"], p["length"]),
			fmt.Sprintf("Heslo musí mít alespoň %s znaků (má %s).", p["min"], p["length"])
	case CodeTooLong:
		return fmt.Sprintf("The password may have at most %s characters (it has %s).", p["max"], p["length"]),
			fmt.Sprintf("Heslo smí mít nejvýše %s znaků (má %s).", p["max"], p["length"])
	case CodeNoUpper:
		return "The password must contain an upper-case letter.", "Heslo musí obsahovat velké písmeno."
	case CodeNoLower:
		return "The password must contain a lower-case letter.", "Heslo musí obsahovat malé písmeno."
	case CodeNoDigit:
		return "The password must contain a digit.", "Heslo musí obsahovat číslici."
	case CodeNoSpecial:
		return "The password must contain a special character such as . , * _ ^ + # $ @.",
			"Heslo musí obsahovat speciální znak, například . , * _ ^ + # $ @."
	case CodeSequence:
		return fmt.Sprintf("The password contains the simple sequence %q.", m),
			fmt.Sprintf("Heslo obsahuje jednoduchou posloupnost %q.", m)
	case CodeKeyboardWalk:
		return fmt.Sprintf("The password contains %q, adjacent keys on a %s keyboard.", m, p["layout"]),
			fmt.Sprintf("Heslo obsahuje %q, sousední klávesy na klávesnici %s.", m, p["layout"])
	case CodeRepeated:
		return fmt.Sprintf("The password repeats characters: %q.", m),
			fmt.Sprintf("Heslo obsahuje opakované znaky: %q.", m)
	case CodeContextWord:
		return fmt.Sprintf("The password contains your %s (%q).", p["source"], m),
			fmt.Sprintf("Heslo obsahuje %s (%q).", czechSource(p["source"]), m)
	case CodeDate:
		return fmt.Sprintf("The password contains a date (%q).", m),
			fmt.Sprintf("Heslo obsahuje datum (%q).", m)
	case CodeMonthName:
		return fmt.Sprintf("The password contains the month name %q.", m),
			fmt.Sprintf("Heslo obsahuje název měsíce %q.", m)
	case CodePersonalName:
		return fmt.Sprintf("The password contains the common name %q.", m),
			fmt.Sprintf("Heslo obsahuje běžné jméno %q.", m)
	case CodeCommon:
		return fmt.Sprintf("The password is built on %q, number %s in a list of commonly used passwords.", m, p["rank"]),
			fmt.Sprintf("Heslo vychází z %q, číslo %s v seznamu běžně používaných hesel.", m, p["rank"])
	case CodeBreached:
		return fmt.Sprintf("The password has appeared %s times in known data breaches.", p["count"]),
			fmt.Sprintf("Heslo se objevilo %s× v uniklých databázích.", p["count"])
	case CodeReused:
		return fmt.Sprintf("The password was used recently; it may not be one of the last %s.", p["history"]),
			fmt.Sprintf("Heslo bylo nedávno použito; nesmí být žádným z posledních %s.", p["history"])
	}
	return "The password breaks rule " + string(code) + ".", "Heslo porušuje pravidlo " + string(code) + "."
}

func czechSource(s string) string {
	switch {
	case s == "username":
		return "vaše uživatelské jméno"
	case strings.HasPrefix(s, "e-mail"):
		return "váš e-mail"
	case s == "system name" || s == "application name":
		return "název systému nebo aplikace"
	case s == "first name" || s == "surname":
		return "vaše jméno"
	}
	return "snadno uhodnutelné slovo"
}
