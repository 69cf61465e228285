// expr converters (manual 7.3.1), evaluated through sample expressions on
// constant fetches. Unless said otherwise, every expected value below was
// checked against HAProxy 2.6.12: lf-string "%[EXPR]" for the value, and
// { EXPR -m found } for whether a sample exists at all.
#include "expr/converter.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "expr/sample_expr.h"
#include "unit/expr/fake_context.h"

namespace hearth::expr {
namespace {

// Expression texts here are what the configuration tokenizer hands over: the
// HAProxy checks wrote them inside lf-string "...", whose quoting turns "\\"
// into "\" before the expression is parsed.

// The result of `text` as a string (binary results: their raw bytes), or
// nullopt when the expression gives no sample. Fails the test if `text`
// does not parse.
std::optional<std::string> eval(const std::string& text) {
  std::string err;
  auto e = parse_sample_expr(text, kUseAny, &err);
  EXPECT_NE(e, nullptr) << text << ": " << err;
  if (!e) return std::nullopt;
  testing::FakeContext ctx;
  Sample s;
  if (!eval_sample_expr(*e, ctx, s)) return std::nullopt;
  if (s.type != SmpType::kBin) {
    EXPECT_TRUE(cast(s, SmpType::kStr)) << text;
  }
  return std::string(s.str);
}

// The parse error of `text`, or "" if it parses.
std::string parse_error(const std::string& text) {
  std::string err;
  auto e = parse_sample_expr(text, kUseAny, &err);
  if (e) return "";
  EXPECT_FALSE(err.empty()) << text;
  return err;
}

constexpr std::nullopt_t kNone = std::nullopt;

TEST(Converter, CatalogHasTypes) {
  const ConvDef* c = find_converter("field");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->in, SmpType::kStr);
  EXPECT_EQ(c->out, SmpType::kStr);
  EXPECT_EQ(find_converter("hex")->in, SmpType::kBin);
  EXPECT_EQ(find_converter("b64dec")->out, SmpType::kBin);
  EXPECT_EQ(find_converter("ipmask")->in, SmpType::kAddr);
  EXPECT_EQ(find_converter("not")->out, SmpType::kBool);
  EXPECT_EQ(find_converter("nosuch"), nullptr);
  EXPECT_EQ(find_converter(""), nullptr);
}

TEST(Converter, LowerUpperLength) {
  EXPECT_EQ(eval("str(HeLLo1),lower"), "hello1");
  EXPECT_EQ(eval("str(HeLLo1),upper"), "HELLO1");
  EXPECT_EQ(eval("str(),upper"), "");
  EXPECT_EQ(eval("str(hello),length"), "5");
  EXPECT_EQ(eval("str(),length"), "0");
  EXPECT_EQ(eval("int(12345),length"), "5");  // the integer as a string
  EXPECT_EQ(eval("int(-5),upper"), "-5");
  EXPECT_EQ(eval("bool(0),upper"), "0");
  // The input is not modified in place: a chain sees each step.
  EXPECT_EQ(eval("str(aBc),upper,lower"), "abc");
}

// The manual's examples, which must hold exactly.
TEST(ConverterField, ManualExamples) {
  EXPECT_EQ(eval("str(f1_f2_f3__f5),field(5,_)"), "f5");
  EXPECT_EQ(eval("str(f1_f2_f3__f5),field(2,_,0)"), "f2_f3__f5");
  EXPECT_EQ(eval("str(f1_f2_f3__f5),field(2,_,2)"), "f2_f3");
  EXPECT_EQ(eval("str(f1_f2_f3__f5),field(-2,_,3)"), "f2_f3_");
  EXPECT_EQ(eval("str(f1_f2_f3__f5),field(-3,_,0)"), "f1_f2_f3");
}

TEST(ConverterField, PositiveIndex) {
  EXPECT_EQ(eval("str(f1_f2_f3__f5),field(1,_)"), "f1");
  EXPECT_EQ(eval("str(f1_f2_f3__f5),field(4,_)"), "");  // the empty field exists
  EXPECT_EQ(eval("str(f1_f2_f3__f5),field(6,_)"), kNone);
  EXPECT_EQ(eval("str(f1_f2_f3__f5),field(1,_,2)"), "f1_f2");
  EXPECT_EQ(eval("str(f1_f2_f3__f5),field(3,_,10)"), "f3__f5");  // fewer remain
  EXPECT_EQ(eval("str(f1_f2_f3__f5),field(3,_,-1)"), "f3__f5");  // negative: all the rest
  EXPECT_EQ(eval("str(a.b-c),field(2,.-)"), "b");                // any delimiter
  EXPECT_EQ(eval("str(a.b),field(2,'.')"), "b");
  EXPECT_EQ(eval("str(abc),field(1,_)"), "abc");
  EXPECT_EQ(eval("str(abc),field(2,_)"), kNone);
  EXPECT_EQ(eval("str(a_b),field(2,_,0)"), "b");
}

TEST(ConverterField, NegativeIndex) {
  EXPECT_EQ(eval("str(f1_f2_f3__f5),field(-1,_)"), "f5");
  EXPECT_EQ(eval("str(f1_f2_f3__f5),field(-5,_)"), "f1");
  EXPECT_EQ(eval("str(f1_f2_f3__f5),field(-6,_)"), kNone);
  EXPECT_EQ(eval("str(f1_f2_f3__f5),field(-1,_,0)"), "f1_f2_f3__f5");
  EXPECT_EQ(eval("str(f1_f2_f3__f5),field(-1,_,2)"), "_f5");
  EXPECT_EQ(eval("str(f1_f2_f3__f5),field(-1,_,3)"), "f3__f5");
  EXPECT_EQ(eval("str(f1_f2_f3__f5),field(-2,_,10)"), "f1_f2_f3_");
  EXPECT_EQ(eval("str(f1_f2_f3__f5),field(-2,_,-1)"), "f1_f2_f3_");
  EXPECT_EQ(eval("str(f1_f2_f3__f5),field(-4,_,2)"), "f1_f2");
  EXPECT_EQ(eval("str(f1_f2_f3__f5),field(-4,_,0)"), "f1_f2");
}

TEST(ConverterField, EmptyFieldsAtTheEdges) {
  EXPECT_EQ(eval("str(_a_),field(1,_)"), "");
  EXPECT_EQ(eval("str(_a_),field(2,_)"), "a");
  EXPECT_EQ(eval("str(_a_),field(3,_)"), "");
  EXPECT_EQ(eval("str(_a_),field(-1,_)"), "");
  EXPECT_EQ(eval("str(_),field(2,_)"), "");
  EXPECT_EQ(eval("str(),field(1,_)"), "");
  EXPECT_EQ(eval("str(),field(-1,_)"), "");
}

TEST(ConverterField, ManyFields) {
  // No limit on the number of fields or words.
  std::string s;
  for (int i = 1; i <= 400; ++i) s += "x" + std::to_string(i) + ".";
  EXPECT_EQ(eval("str(" + s + "),field(300,.)"), "x300");
  EXPECT_EQ(eval("str(" + s + "),field(-2,.)"), "x400");
  EXPECT_EQ(eval("str(" + s + "),word(399,.)"), "x399");
}

// HAProxy refuses these when the configuration is read ("Unexpected value 0
// for index", "Empty separators list").
TEST(ConverterField, LoadTimeChecks) {
  EXPECT_NE(parse_error("str(a),field(0,_)"), "");
  EXPECT_NE(parse_error("str(a),word(0,_)"), "");
  EXPECT_NE(parse_error("str(a),field(1,)"), "");
  EXPECT_NE(parse_error("str(a),word(1,'')"), "");
  EXPECT_NE(parse_error("str(a),field(1)"), "");
  EXPECT_NE(parse_error("str(a),field(x,_)"), "");
  EXPECT_EQ(parse_error("str(a),field(-1,_,-1)"), "");
}

TEST(ConverterWord, ManualExamples) {
  EXPECT_EQ(eval("str(f1_f2_f3__f5),word(4,_)"), "f5");
  EXPECT_EQ(eval("str(f1_f2_f3__f5),word(2,_,0)"), "f2_f3__f5");
  EXPECT_EQ(eval("str(f1_f2_f3__f5),word(3,_,2)"), "f3__f5");
  EXPECT_EQ(eval("str(f1_f2_f3__f5),word(-2,_,3)"), "f1_f2_f3");
  EXPECT_EQ(eval("str(f1_f2_f3__f5),word(-3,_,0)"), "f1_f2");
  EXPECT_EQ(eval("str(/f1/f2/f3/f4),word(1,/)"), "f1");
}

TEST(ConverterWord, Counts) {
  EXPECT_EQ(eval("str(f1_f2_f3__f5),word(1,_,2)"), "f1_f2");
  EXPECT_EQ(eval("str(f1_f2_f3__f5),word(-1,_,2)"), "f3__f5");
  EXPECT_EQ(eval("str(f1_f2_f3__f5),word(2,_,-1)"), "f2_f3__f5");
  EXPECT_EQ(eval("str(f1_f2_f3__f5),word(-2,_,-1)"), "f1_f2_f3");
  EXPECT_EQ(eval("str(/f1/f2/f3/f4),word(-1,/)"), "f4");
  EXPECT_EQ(eval("str(/f1/f2/f3/f4),word(2,/,0)"), "f2/f3/f4");
}

// When the count runs past the last word, the result runs to the end (or
// from the start) of the input, delimiters included.
TEST(ConverterWord, CountPastTheEdgeKeepsDelimiters) {
  EXPECT_EQ(eval("str(/f1/f2/f3/f4/),word(2,/,0)"), "f2/f3/f4/");
  EXPECT_EQ(eval("str(/f1/f2/f3/f4/),word(-1,/,0)"), "/f1/f2/f3/f4");
  EXPECT_EQ(eval("str(__a__b__),word(1,_,0)"), "a__b__");
  EXPECT_EQ(eval("str(__a__b__),word(-1,_,0)"), "__a__b");
  EXPECT_EQ(eval("str(a_b_),word(2,_,5)"), "b_");
  EXPECT_EQ(eval("str(a_b_),word(-1,_,5)"), "a_b");
}

// An index past the last word gives an empty string, not a missing sample
// (unlike field()).
TEST(ConverterWord, IndexPastTheLastWordIsEmpty) {
  EXPECT_EQ(eval("str(/f1/f2/f3/f4),word(5,/)"), "");
  EXPECT_EQ(eval("str(/f1/f2/f3/f4),word(-5,/)"), "");
  EXPECT_EQ(eval("str(f1_f2_f3__f5),word(5,_)"), "");
  EXPECT_EQ(eval("str(____),word(1,_)"), "");
  EXPECT_EQ(eval("str(),word(1,_)"), "");
}

TEST(ConverterBytes, OffsetAndLength) {
  EXPECT_EQ(eval("str(hello),bytes(1)"), "ello");
  EXPECT_EQ(eval("str(hello),bytes(1,2)"), "el");
  EXPECT_EQ(eval("str(hello),bytes(2,100)"), "llo");
  EXPECT_EQ(eval("str(hello),bytes(0,0)"), "");
  EXPECT_EQ(eval("str(hello),bytes(5)"), "");   // at the end: empty, not missing
  EXPECT_EQ(eval("str(hello),bytes(10)"), "");  // past the end too
  EXPECT_EQ(eval("str(hello),bytes(-1)"), "");
  EXPECT_EQ(eval("str(hello),bytes(1,-1)"), "ello");                 // a negative length: no limit
  EXPECT_EQ(eval("int(258),bytes(6)"), std::string("\x01\x02", 2));  // the int's 8 bytes
  EXPECT_EQ(eval("str(ab),bytes(0),upper"), "AB");                   // bin back to str
  EXPECT_NE(parse_error("str(a),bytes()"), "");
}

TEST(ConverterHex, BinaryToHex) {
  EXPECT_EQ(eval("str(Hello World),hex"), "48656C6C6F20576F726C64");
  EXPECT_EQ(eval("str(),hex"), "");
  EXPECT_EQ(eval("int(1),hex"), "0000000000000001");
  EXPECT_EQ(eval("str(a),hex,length"), "2");
  EXPECT_EQ(eval("str(AP8=),b64dec,hex"), "00FF");
}

TEST(ConverterBase64, Encode) {
  EXPECT_EQ(eval("str(a),base64"), "YQ==");
  EXPECT_EQ(eval("str(ab),base64"), "YWI=");
  EXPECT_EQ(eval("str(abc),base64"), "YWJj");
  EXPECT_EQ(eval("str(),base64"), "");
  EXPECT_EQ(eval("str(AP8=),b64dec,base64"), "AP8=");
}

TEST(ConverterBase64, Decode) {
  EXPECT_EQ(eval("str(YWJj),b64dec"), "abc");
  EXPECT_EQ(eval("str(YWI=),b64dec"), "ab");
  EXPECT_EQ(eval("str(YQ==),b64dec"), "a");
  EXPECT_EQ(eval("str(),b64dec"), "");
  EXPECT_EQ(eval("str(AP8=),b64dec"), std::string("\0\xff", 2));
  // Padding ends a group of four, wherever it is.
  EXPECT_EQ(eval("str(YQ==YQ==),b64dec"), "aa");
  EXPECT_EQ(eval("str(YQ==YWJj),b64dec"), "aabc");
  EXPECT_EQ(eval("str(YWI=YWJj),b64dec"), "ababc");
  EXPECT_EQ(eval("str(Y===),b64dec"), "");  // HAProxy decodes it to nothing
}

TEST(ConverterBase64, DecodeRefusesInvalidInput) {
  EXPECT_EQ(eval("str(YQ),b64dec"), kNone);  // not a multiple of 4
  EXPECT_EQ(eval("str(YQ=),b64dec"), kNone);
  EXPECT_EQ(eval("str(Y),b64dec"), kNone);
  EXPECT_EQ(eval("str(YW!j),b64dec"), kNone);  // not in the alphabet
  EXPECT_EQ(eval("str(YW j),b64dec"), kNone);
  EXPECT_EQ(eval("str(-_-_),b64dec"), kNone);  // base64url is ub64dec's
  EXPECT_EQ(eval("str(====),b64dec"), kNone);
  EXPECT_EQ(eval("str(=QQQ),b64dec"), kNone);
  EXPECT_EQ(eval("str(QQ=Q),b64dec"), kNone);  // padding must run to the group's end
  EXPECT_EQ(eval("str(YQ=a),b64dec"), kNone);
}

TEST(ConverterUrlDec, PercentAndPlus) {
  EXPECT_EQ(eval("str(a%20b+c),url_dec"), "a b+c");     // '+' is kept in a path
  EXPECT_EQ(eval("str(a%20b+c),url_dec(1)"), "a b c");  // in_form: '+' is a space
  EXPECT_EQ(eval("str(a+b?c+d),url_dec"), "a+b?c d");   // ... and after a '?'
  EXPECT_EQ(eval("str(a+b?c+d),url_dec(0)"), "a+b?c d");
  EXPECT_EQ(eval("str(%41%4a%4A),url_dec"), "AJJ");
  EXPECT_EQ(eval("str(a%00b),url_dec"), std::string("a\0b", 3));
  EXPECT_EQ(eval("str(a%00b),url_dec,length"), "3");
  EXPECT_EQ(eval("str(),url_dec"), "");
}

TEST(ConverterUrlDec, BadEscapesGiveNoSample) {
  EXPECT_EQ(eval("str(a%2),url_dec"), kNone);
  EXPECT_EQ(eval("str(a%zz),url_dec"), kNone);
  EXPECT_EQ(eval("str(a%),url_dec"), kNone);
  EXPECT_NE(parse_error("str(a),url_dec(x)"), "");
}

TEST(ConverterTrim, LtrimRtrimCutCrlf) {
  EXPECT_EQ(eval("str(xxabcxx),ltrim(x)"), "abcxx");
  EXPECT_EQ(eval("str(xyabc),ltrim(yx)"), "abc");
  EXPECT_EQ(eval("str(xxabcxx),rtrim(x)"), "xxabc");
  EXPECT_EQ(eval("str(xxxx),rtrim(x)"), "");
  EXPECT_EQ(eval("str(abc),ltrim(z)"), "abc");
  EXPECT_EQ(eval("str(abc\r\ndef),cut_crlf"), "abc");
  EXPECT_EQ(eval("str(abc\ndef),cut_crlf"), "abc");
  EXPECT_EQ(eval("str(abc\rdef),cut_crlf"), "abc");
  EXPECT_EQ(eval("str(abc),cut_crlf"), "abc");
  // Without parentheses a converter gets one empty argument, as in HAProxy 2.6.
  EXPECT_EQ(eval("str(  a),ltrim"), "  a");
}

TEST(ConverterArith, Basics) {
  EXPECT_EQ(eval("int(5),sub(-3)"), "8");
  EXPECT_EQ(eval("int(6),mul(-7)"), "-42");
  EXPECT_EQ(eval("int(-7),div(2)"), "-3");  // truncates toward zero
  EXPECT_EQ(eval("int(-7),mod(2)"), "-1");
  EXPECT_EQ(eval("int(7),mod(-2)"), "1");
  EXPECT_EQ(eval("int(5),neg"), "-5");
  EXPECT_EQ(eval("int(5),neg,add(10)"), "5");  // the manual's reversed subtract
  EXPECT_EQ(eval("str(12),add(3)"), "15");
  EXPECT_EQ(eval("str(-12),add(3)"), "-9");
  EXPECT_EQ(eval("str(+12),add(3)"), "15");
  EXPECT_EQ(eval("str(abc),add(1)"), "1");
  EXPECT_EQ(eval("str(12abc),add(1)"), "13");
  EXPECT_EQ(eval("str(),add(0)"), kNone);  // an empty string is no integer
  EXPECT_EQ(eval("bool(1),add(5)"), "6");
  EXPECT_EQ(eval("str(1.2.3.4),ipmask(32),add(0)"), "16909060");
}

TEST(ConverterArith, DivisionByZero) {
  EXPECT_EQ(eval("int(7),div(0)"), "9223372036854775807");
  EXPECT_EQ(eval("int(-7),div(0)"), "9223372036854775807");
  EXPECT_EQ(eval("int(7),mod(0)"), "0");
}

// HAProxy's arithmetic saturates instead of wrapping.
TEST(ConverterArith, Saturates) {
  EXPECT_EQ(eval("int(9223372036854775807),add(1)"), "9223372036854775807");
  EXPECT_EQ(eval("int(-9223372036854775807),sub(5)"), "-9223372036854775808");
  EXPECT_EQ(eval("int(-9223372036854775808),neg"), "9223372036854775807");
  EXPECT_EQ(eval("int(-9223372036854775808),div(-1)"), "9223372036854775807");
  EXPECT_EQ(eval("int(-9223372036854775808),mod(-1)"), "0");
  EXPECT_EQ(eval("int(4611686018427387904),mul(4)"), "9223372036854775807");
  EXPECT_EQ(eval("int(4611686018427387904),mul(-4)"), "-9223372036854775808");
  // sub(INT64_MIN): -INT64_MIN does not exist.
  EXPECT_EQ(eval("int(-1),sub(-9223372036854775808)"), "9223372036854775807");
  EXPECT_EQ(eval("int(5),sub(-9223372036854775808)"), "9223372036854775807");
}

TEST(ConverterArith, ArgumentIsAnInteger) {
  EXPECT_NE(parse_error("int(1),add(1x)"), "");
  EXPECT_EQ(eval("int(1),add"), "1");  // "add" is "add()", which adds 0 (HAProxy 2.6)
  EXPECT_NE(parse_error("int(1),div(0x10)"), "");
}

TEST(ConverterBits, AndOrXorCpl) {
  EXPECT_EQ(eval("int(12),and(10)"), "8");
  EXPECT_EQ(eval("int(12),or(3)"), "15");
  EXPECT_EQ(eval("int(12),xor(10)"), "6");
  EXPECT_EQ(eval("int(0),cpl"), "-1");
}

TEST(ConverterBool, NotBoolOddEven) {
  EXPECT_EQ(eval("int(0),not"), "1");
  EXPECT_EQ(eval("int(3),not"), "0");
  EXPECT_EQ(eval("int(3),bool"), "1");
  EXPECT_EQ(eval("int(0),bool"), "0");
  EXPECT_EQ(eval("int(3),odd"), "1");
  EXPECT_EQ(eval("int(-3),odd"), "1");
  EXPECT_EQ(eval("int(-4),even"), "1");
  EXPECT_EQ(eval("int(5),even"), "0");
  EXPECT_EQ(eval("int(6),and(2),bool"), "1");  // the manual's bit test
}

TEST(ConverterIpmask, Ipv4) {
  EXPECT_EQ(eval("str(192.168.1.77),ipmask(24)"), "192.168.1.0");
  EXPECT_EQ(eval("str(192.168.1.77),ipmask(25)"), "192.168.1.0");
  EXPECT_EQ(eval("str(192.168.1.77),ipmask(255.255.0.0)"), "192.168.0.0");
  EXPECT_EQ(eval("str(192.168.1.77),ipmask(0)"), "0.0.0.0");
  EXPECT_EQ(eval("str(192.168.1.77),ipmask(32)"), "192.168.1.77");
  EXPECT_EQ(eval("str(1.2.3.4),ipmask(255.0.255.0)"), "1.0.3.0");  // any dotted mask
  EXPECT_EQ(eval("int(16909060),ipmask(32)"), "1.2.3.4");
  EXPECT_EQ(eval("int(-1),ipmask(32)"), "255.255.255.255");
  EXPECT_EQ(eval("str(junk),ipmask(24)"), kNone);
  EXPECT_EQ(eval("str(1.2.3.4),ipmask(32),hex"), "01020304");
}

TEST(ConverterIpmask, Ipv6) {
  // Without mask6 an IPv6 address does not convert.
  EXPECT_EQ(eval("str(2001:db8::1),ipmask(24)"), kNone);
  EXPECT_EQ(eval("str(2001:db8:1:2::1),ipmask(24,64)"), "2001:db8:1:2::");
  EXPECT_EQ(eval("str(2001:db8:1:2::1),ipmask(24,ffff:ffff::)"), "2001:db8::");
  EXPECT_EQ(eval("str(2001:db8:1:2::1),ipmask(24,0)"), "::");
  EXPECT_EQ(eval("str(::1.2.3.4),ipmask(32,128)"), "::1.2.3.4");
  EXPECT_EQ(eval("str(::1),ipmask(32,128),hex"), "00000000000000000000000000000001");
  // Only the IPv4-mapped form is masked as the IPv4 address it maps.
  EXPECT_EQ(eval("str(::ffff:10.1.2.3),ipmask(8)"), "10.0.0.0");
  EXPECT_EQ(eval("str(::ffff:10.1.2.3),ipmask(24,96)"), "10.1.2.0");
  EXPECT_EQ(eval("str(::ffff:10.1.2.3),ipmask(8,64)"), "10.0.0.0");
  EXPECT_EQ(eval("str(::ffff:1.2.3.4),ipmask(32,128),add(0)"), "16909060");
  EXPECT_EQ(eval("str(::10.1.2.3),ipmask(8)"), kNone);
  EXPECT_EQ(eval("str(2002:a01:203::),ipmask(8)"), kNone);
}

TEST(ConverterIpmask, MaskArguments) {
  EXPECT_NE(parse_error("str(a),ipmask(33)"), "");
  EXPECT_NE(parse_error("str(a),ipmask(24,129)"), "");
  EXPECT_NE(parse_error("str(a),ipmask(-1)"), "");
  EXPECT_NE(parse_error("str(a),ipmask(x)"), "");
  EXPECT_NE(parse_error("str(a),ipmask"), "");
  EXPECT_EQ(parse_error("src,ipmask(24)"), "");
  EXPECT_NE(parse_error("int(1),bool,ipmask(24)"), "");  // bool is no address
}

TEST(ConverterRegsub, FirstOrGlobal) {
  // The manual's example.
  EXPECT_EQ(eval("str(/////a///b/c/xzxyz/),regsub('/+','/','g')"), "/a/b/c/xzxyz/");
  EXPECT_EQ(eval("str(/////a///b/c/xzxyz/),regsub('/+','/')"), "/a///b/c/xzxyz/");
  EXPECT_EQ(eval("str(aaa),regsub('a','X','g')"), "XXX");
  EXPECT_EQ(eval("str(a.b.c),regsub('\\.','-','g')"), "a-b-c");
  EXPECT_EQ(eval("str(abcabc),regsub('c$','X','g')"), "abcabX");
  EXPECT_EQ(eval("str(abab),regsub('(?<=a)b','X','g')"), "aXaX");
  EXPECT_EQ(eval("str(abc),regsub(z,y)"), "abc");  // no match: unchanged
}

TEST(ConverterRegsub, CaseFlag) {
  EXPECT_EQ(eval("str(FOO),regsub('o','0','g')"), "FOO");
  EXPECT_EQ(eval("str(FOO),regsub('o','0','gi')"), "F00");
  EXPECT_EQ(eval("str(FooBar),regsub('o','0','ig')"), "F00Bar");
  EXPECT_EQ(eval("str(FOO),regsub('o','0',i)"), "F0O");
  EXPECT_NE(parse_error("str(a),regsub('x','y','q')"), "");
  EXPECT_NE(parse_error("str(a),regsub('(x','y')"), "");
  EXPECT_NE(parse_error("str(a),regsub('x')"), "");
}

TEST(ConverterRegsub, Captures) {
  // The manual's example, both quotings.
  EXPECT_EQ(eval("str(foo123bar),regsub('(foo|bar)([0-9]+)?','\\2\\1',i)"), "123foobar");
  EXPECT_EQ(eval("str(foo123bar),regsub(\"(foo|bar)([0-9]+)?\",\"\\2\\1\",i)"), "123foobar");
  EXPECT_EQ(eval("str(abc),regsub('(b)','[\\1\\1]')"), "a[bb]c");
  EXPECT_EQ(eval("str(abc),regsub('b','\\\\')"), "a\\c");  // '\\' is one backslash
}

// After its first round, the subject no longer starts a line; an empty match
// at the very start of what remains keeps one byte and moves on, any other
// match resumes where it ended (so "$" matches twice at the end of "x").
TEST(ConverterRegsub, AnchorsAndEmptyMatches) {
  EXPECT_EQ(eval("str(aaa),regsub('^a','X','g')"), "Xaa");
  EXPECT_EQ(eval("str(abc),regsub('x*','-','g')"), "-a-b-c-");
  EXPECT_EQ(eval("str(abc),regsub('x*','-')"), "-abc");
  EXPECT_EQ(eval("str(),regsub('x*','-','g')"), "-");
  EXPECT_EQ(eval("str(),regsub('x*','-')"), "-");
  EXPECT_EQ(eval("str(abc),regsub('b*','-','g')"), "-a--c-");
  EXPECT_EQ(eval("str(a-b),regsub('\\b','|','g')"), "|a-||b");
  EXPECT_EQ(eval("str(x),regsub('$','E','g')"), "xEE");
}

TEST(ConverterChains, TypesFlowAlongTheChain) {
  EXPECT_EQ(eval("str(1.2.3.4),ipmask(32),upper"), "1.2.3.4");
  EXPECT_EQ(eval("str(::1),ipmask(32,128),upper"), "::1");
  EXPECT_EQ(eval("int(0),ipmask(32,128),upper"), "0.0.0.0");
  EXPECT_EQ(eval("str(hello),length,mul(2),add(1)"), "11");
  EXPECT_EQ(eval("str(GET),length"), "3");
}

}  // namespace
}  // namespace hearth::expr
