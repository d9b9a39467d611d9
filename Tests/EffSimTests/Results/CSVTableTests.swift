import EffSim
import Testing

/// The CSV every effsim file is written in: a field is quoted exactly when it holds a comma, a
/// quote or a line break, whichever line break it is.
@Suite struct CSVTableTests {
    @Test func quotesExactlyTheFieldsThatNeedIt() {
        var table = CSVTable(header: ["a", "b"])
        table.append(["plain", "1.5e+23"])
        table.append(["a,b", "say \"x\""])
        table.append(["line\nfeed", "carriage\rreturn"])
        // "\r\n" is one Character in Swift, equal to neither "\r" nor "\n": it was written unquoted.
        table.append(["windows\r\nline", "ü,é"])
        #expect(table.text == "a,b\nplain,1.5e+23\n\"a,b\",\"say \"\"x\"\"\"\n\"line\nfeed\",\"carriage\rreturn\"\n\"windows\r\nline\",\"ü,é\"\n")
    }
}
