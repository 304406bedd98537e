//! CloudWatch Logs JSON filter patterns (`{ ($.eventName = ConsoleLogin) && … }`), parsed into the set of
//! conjunctions they match, so two patterns can be compared by meaning rather than by spelling: quotes, spaces,
//! redundant parentheses and the order of terms do not matter.
//!
//! A pattern `covers` a reference pattern when every event the reference matches also matches it, judged
//! conservatively: each conjunction of the reference must contain every term of some conjunction of the
//! pattern. Extra `||` alternatives (alerting on more events) keep a pattern covering; an extra `&&` term
//! (alerting on fewer events) does not.

use std::collections::BTreeSet;
use std::fmt;

/// Beyond this many conjunctions a pattern is not expanded (a pathological pattern could explode).
const MAX_CONJUNCTIONS: usize = 4096;

/// One comparison: `$.eventName = ConsoleLogin`, `$.userIdentity.invokedBy NOT EXISTS`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Term {
    pub selector: String,
    /// `=`, `!=`, `<`, `<=`, `>`, `>=`, `NOT EXISTS`, `EXISTS`, `IS NULL`, `IS TRUE`, `IS FALSE`.
    pub op: String,
    /// The value without its quotes; empty for the unary operators.
    pub value: String,
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.value.is_empty() && !matches!(self.op.as_str(), "=" | "!=") {
            write!(f, "{} {}", self.selector, self.op)
        } else {
            write!(f, "{} {} {}", self.selector, self.op, self.value)
        }
    }
}

pub type Conjunction = BTreeSet<Term>;

/// A parsed JSON filter pattern, in disjunctive normal form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    pub alternatives: Vec<Conjunction>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// A term-based or space-delimited pattern (`"ERROR"`, `[ip, user, ...]`): it cannot express a condition on
    /// JSON fields, so it never matches a JSON pattern.
    NotJson,
    /// A JSON pattern that could not be read, with what went wrong.
    Invalid(String),
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::NotJson => f.write_str("not a JSON filter pattern"),
            ParseError::Invalid(detail) => f.write_str(detail),
        }
    }
}

impl Pattern {
    pub fn parse(text: &str) -> Result<Pattern, ParseError> {
        let trimmed = text.trim();
        if !trimmed.starts_with('{') {
            return Err(ParseError::NotJson);
        }
        let mut parser = Parser { chars: trimmed.chars().collect(), pos: 1 };
        let alternatives = parser.expr()?;
        parser.skip_space();
        if parser.peek() != Some('}') {
            return Err(parser.error("expected `}`"));
        }
        parser.pos += 1;
        parser.skip_space();
        if parser.pos != parser.chars.len() {
            return Err(parser.error("unexpected text after `}`"));
        }
        Ok(Pattern { alternatives })
    }

    /// Whether every event `reference` matches is also matched by this pattern (see the module docs).
    pub fn covers(&self, reference: &Pattern) -> bool {
        self.uncovered(reference).is_empty()
    }

    /// The conjunctions of `reference` this pattern does not cover.
    pub fn uncovered<'a>(&self, reference: &'a Pattern) -> Vec<&'a Conjunction> {
        reference.alternatives.iter().filter(|r| !self.alternatives.iter().any(|mine| mine.is_subset(r))).collect()
    }
}

/// The terms of a conjunction as people write them: `$.eventSource = s3.amazonaws.com && $.eventName = …`.
pub fn describe(conjunction: &Conjunction) -> String {
    conjunction.iter().map(ToString::to_string).collect::<Vec<_>>().join(" && ")
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

impl Parser {
    fn error(&self, what: &str) -> ParseError {
        ParseError::Invalid(format!("{what} at character {}", self.pos + 1))
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn starts_with(&self, text: &str) -> bool {
        text.chars().enumerate().all(|(i, c)| self.chars.get(self.pos + i) == Some(&c))
    }

    /// Like `starts_with`, ignoring ASCII case, and only as a whole word.
    fn keyword(&self, word: &str) -> bool {
        let n = word.chars().count();
        let matches = word
            .chars()
            .enumerate()
            .all(|(i, c)| self.chars.get(self.pos + i).is_some_and(|x| x.eq_ignore_ascii_case(&c)));
        matches && self.chars.get(self.pos + n).is_none_or(|c| !c.is_alphanumeric())
    }

    fn expr(&mut self) -> Result<Vec<Conjunction>, ParseError> {
        let mut alternatives = self.and_expr()?;
        loop {
            self.skip_space();
            if !self.starts_with("||") {
                return Ok(alternatives);
            }
            self.pos += 2;
            alternatives.extend(self.and_expr()?);
            if alternatives.len() > MAX_CONJUNCTIONS {
                return Err(self.error("pattern too complex to compare"));
            }
        }
    }

    fn and_expr(&mut self) -> Result<Vec<Conjunction>, ParseError> {
        let mut product = self.unary()?;
        loop {
            self.skip_space();
            if !self.starts_with("&&") {
                return Ok(product);
            }
            self.pos += 2;
            let right = self.unary()?;
            if product.len().saturating_mul(right.len()) > MAX_CONJUNCTIONS {
                return Err(self.error("pattern too complex to compare"));
            }
            product = product
                .iter()
                .flat_map(|l| right.iter().map(move |r| l.union(r).cloned().collect::<Conjunction>()))
                .collect();
        }
    }

    fn unary(&mut self) -> Result<Vec<Conjunction>, ParseError> {
        self.skip_space();
        match self.peek() {
            Some('(') => {
                self.pos += 1;
                let inner = self.expr()?;
                self.skip_space();
                if self.peek() != Some(')') {
                    return Err(self.error("expected `)`"));
                }
                self.pos += 1;
                Ok(inner)
            }
            Some('$') => Ok(vec![BTreeSet::from([self.comparison()?])]),
            _ => Err(self.error("expected `$.field` or `(`")),
        }
    }

    fn comparison(&mut self) -> Result<Term, ParseError> {
        let start = self.pos;
        while self.peek().is_some_and(|c| !c.is_whitespace() && !"=!<>()&|}".contains(c)) {
            self.pos += 1;
        }
        let selector: String = self.chars[start..self.pos].iter().collect();
        self.skip_space();
        for op in ["NOT EXISTS", "EXISTS", "IS NULL", "IS TRUE", "IS FALSE"] {
            let words: Vec<&str> = op.split(' ').collect();
            let save = self.pos;
            if words.iter().all(|w| {
                self.skip_space();
                let hit = self.keyword(w);
                if hit {
                    self.pos += w.len();
                }
                hit
            }) {
                return Ok(Term { selector, op: op.to_string(), value: String::new() });
            }
            self.pos = save;
        }
        let op = ["!=", "==", "<=", ">=", "=", "<", ">"]
            .into_iter()
            .find(|op| self.starts_with(op))
            .ok_or_else(|| self.error("expected a comparison operator"))?;
        self.pos += op.len();
        let op = if op == "==" { "=" } else { op };
        let value = self.value()?;
        Ok(Term { selector, op: op.to_string(), value })
    }

    fn value(&mut self) -> Result<String, ParseError> {
        self.skip_space();
        if self.peek() == Some('"') {
            self.pos += 1;
            let mut value = String::new();
            loop {
                match self.peek() {
                    None => return Err(self.error("unterminated string")),
                    Some('"') => {
                        self.pos += 1;
                        return Ok(value);
                    }
                    Some('\\') => {
                        self.pos += 1;
                        if let Some(c) = self.peek() {
                            value.push(c);
                            self.pos += 1;
                        }
                    }
                    Some(c) => {
                        value.push(c);
                        self.pos += 1;
                    }
                }
            }
        }
        // An unquoted value runs to the next `)`, `}`, `&&` or `||`.
        let start = self.pos;
        while self.peek().is_some_and(|c| !")}".contains(c)) && !self.starts_with("&&") && !self.starts_with("||") {
            self.pos += 1;
        }
        let value: String = self.chars[start..self.pos].iter().collect::<String>().trim().to_string();
        if value.is_empty() {
            return Err(self.error("expected a value"));
        }
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Pattern {
        Pattern::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn spelling_does_not_matter() {
        let a = p(r#"{ ($.eventName = "ConsoleLogin") && ($.errorMessage = "Failed authentication") }"#);
        let b = p("{($.errorMessage=Failed authentication)&&(($.eventName==ConsoleLogin))}");
        assert_eq!(a, b);
        assert!(a.covers(&b) && b.covers(&a));
    }

    #[test]
    fn and_binds_tighter_than_or() {
        let pattern = p("{ $.a = 1 || $.b = 2 && $.c = 3 }");
        assert_eq!(pattern.alternatives.len(), 2);
        let distributed = p("{ ($.a = 1 || $.b = 2) && $.c = 3 }");
        assert_eq!(distributed.alternatives.len(), 2);
        // The first matches more (any a=1), so it covers the second, not the other way round.
        assert!(pattern.covers(&distributed));
        assert!(!distributed.covers(&pattern));
    }

    #[test]
    fn more_alternatives_cover_and_more_conditions_do_not() {
        let reference = p("{ ($.eventName = CreateTrail) || ($.eventName = DeleteTrail) }");
        let broader = p("{ ($.eventName = CreateTrail) || ($.eventName = DeleteTrail) || ($.eventName = X) }");
        let narrower = p("{ (($.eventName = CreateTrail) || ($.eventName = DeleteTrail)) && $.awsRegion = eu-west-1 }");
        let partial = p("{ $.eventName = CreateTrail }");
        assert!(broader.covers(&reference));
        assert!(!narrower.covers(&reference));
        assert!(!partial.covers(&reference));
        let missing: Vec<String> = partial.uncovered(&reference).into_iter().map(describe).collect();
        assert_eq!(missing, vec!["$.eventName = DeleteTrail"]);
    }

    #[test]
    fn unary_operators_and_wildcards() {
        let pattern = p(
            r#"{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }"#,
        );
        let terms: Vec<String> = pattern.alternatives[0].iter().map(ToString::to_string).collect();
        assert!(terms.contains(&"$.userIdentity.invokedBy NOT EXISTS".to_string()), "{terms:?}");
        let wildcard = p(r#"{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = AccessDenied*) }"#);
        assert_eq!(wildcard.alternatives.len(), 2);
        assert!(p("{ $.x IS NULL }").alternatives[0].iter().all(|t| t.op == "IS NULL"));
    }

    #[test]
    fn errors() {
        assert_eq!(Pattern::parse("ERROR"), Err(ParseError::NotJson));
        assert_eq!(Pattern::parse("[ip, user]"), Err(ParseError::NotJson));
        for bad in ["{ $.a = 1", "{ ($.a = 1 }", "{ $.a }", "{ $.a = }", "{ && }", r#"{ $.a = "x }"#, "{ $.a = 1 } x"] {
            assert!(matches!(Pattern::parse(bad), Err(ParseError::Invalid(_))), "{bad}");
        }
        // 2^13 conjunctions: refused rather than expanded.
        let huge = format!(
            "{{ {} }}",
            (0..13).map(|i| format!("($.a{i} = 1 || $.b{i} = 2)")).collect::<Vec<_>>().join(" && ")
        );
        assert!(matches!(Pattern::parse(&huge), Err(ParseError::Invalid(e)) if e.contains("too complex")));
    }
}
