using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace L4Re.Uvmm.Mips;

/// <summary>
/// A two-pass MIPS32 (little-endian) assembler driven by <see cref="IsaTable"/>, for writing guest programs
/// in tests and tools. Syntax follows GNU as with <c>.set noreorder</c> semantics: no instruction is
/// reordered or inserted, the delay slot is the next line. Supported: labels, <c>#</c> comments, <c>;</c>
/// statement separators, expressions with <c>+ - ( )</c>, <c>%hi()</c>/<c>%lo()</c>, the pseudo-instructions
/// <c>li</c>, <c>la</c>, <c>neg</c>, and the directives <c>.org .word .half .byte .space .align .p2align
/// .ascii .asciz .equ</c> (<c>.set .globl .text .data .section .ent .end .type .size</c> are accepted and ignored).
/// Trailing code/select operands may be omitted (they default to 0).
/// </summary>
public static class Assembler
{
    private static readonly ILookup<string, InstructionForm> ByMnemonic = IsaTable.Forms.ToLookup(f => f.Mnemonic);

    private static readonly HashSet<string> IgnoredDirectives =
        [".set", ".globl", ".global", ".text", ".data", ".section", ".ent", ".end", ".type", ".size", ".frame", ".mask", ".fmask", ".module", ".abicalls", ".option", ".file", ".insn", ".local", ".previous"];

    /// <summary>Assembles <paramref name="source"/> placed at <paramref name="baseAddress"/>.</summary>
    /// <exception cref="AssemblerException">A syntax or range error (with its line).</exception>
    public static AssembledProgram Assemble(string source, uint baseAddress = 0)
    {
        var lines = source.Split('\n');
        var symbols = new Dictionary<string, uint>(StringComparer.Ordinal);
        // Pass 1 lays out and collects labels; pass 2 encodes with all labels known.
        Run(lines, baseAddress, symbols, null);
        var output = new List<byte>(lines.Length * 4);
        Run(lines, baseAddress, symbols, output);
        return new AssembledProgram(baseAddress, output.ToArray(), symbols);
    }

    /// <summary>Assembles one instruction at <paramref name="pc"/> (targets are absolute addresses).</summary>
    /// <exception cref="AssemblerException">Not exactly one instruction, or an error.</exception>
    public static uint AssembleOne(string line, uint pc = 0)
    {
        var program = Assemble(".org 0x" + pc.ToString("x", CultureInfo.InvariantCulture) + "\n" + line, pc);
        return program.Bytes.Length == 4
            ? BinaryPrimitives.ReadUInt32LittleEndian(program.Bytes)
            : throw new AssemblerException($"'{line}' is {program.Bytes.Length / 4} instructions, not one");
    }

    private static void Run(string[] lines, uint baseAddress, Dictionary<string, uint> symbols, List<byte>? output)
    {
        var pc = baseAddress;
        var finalPass = output is not null;
        for (var n = 0; n < lines.Length; n++)
        {
            var lineNo = n + 1;
            var text = StripComment(lines[n]);
            foreach (var raw in text.Split(';'))
            {
                var stmt = raw.Trim();
                try
                {
                    stmt = TakeLabels(stmt, pc, symbols, finalPass, lineNo);
                    if (stmt.Length == 0)
                        continue;
                    var (mnemonic, rest) = SplitMnemonic(stmt);
                    var ctx = new Context(symbols, pc, finalPass, lineNo);
                    if (mnemonic.StartsWith('.'))
                        pc = Directive(mnemonic, rest, ctx, output);
                    else
                    {
                        foreach (var word in Instruction(mnemonic, SplitOperands(rest), ctx))
                        {
                            Emit(output, word, 4);
                            pc += 4;
                        }
                    }
                }
                catch (AssemblerException)
                {
                    throw;
                }
                catch (Exception e) when (e is ArgumentException or FormatException or OverflowException or KeyNotFoundException)
                {
                    throw new AssemblerException(lineNo, e.Message);
                }
            }
        }
    }

    private static string StripComment(string line)
    {
        var inString = false;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '"')
                inString = !inString;
            else if (!inString && line[i] == '#')
                return line[..i];
        }
        return line;
    }

    private static string TakeLabels(string stmt, uint pc, Dictionary<string, uint> symbols, bool finalPass, int line)
    {
        while (true)
        {
            var colon = stmt.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !IsIdentifier(stmt[..colon].Trim()))
                return stmt;
            var name = stmt[..colon].Trim();
            if (!finalPass && !symbols.TryAdd(name, pc))
                throw new AssemblerException(line, $"label '{name}' defined twice");
            stmt = stmt[(colon + 1)..].Trim();
        }
    }

    private static bool IsIdentifier(string s) =>
        s.Length > 0 && (char.IsAsciiLetter(s[0]) || s[0] is '_' or '.' or '$') && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '$')
        && !RegisterNames.TryParseGpr(s, out _);

    private static (string Mnemonic, string Operands) SplitMnemonic(string stmt)
    {
        var i = 0;
        while (i < stmt.Length && !char.IsWhiteSpace(stmt[i]))
            i++;
        return (stmt[..i].ToLowerInvariant(), stmt[i..].Trim());
    }

    private static List<string> SplitOperands(string rest)
    {
        var result = new List<string>();
        if (rest.Length == 0)
            return result;
        var depth = 0;
        var inString = false;
        var start = 0;
        for (var i = 0; i < rest.Length; i++)
        {
            var c = rest[i];
            if (c == '"')
                inString = !inString;
            else if (!inString && c == '(')
                depth++;
            else if (!inString && c == ')')
                depth--;
            else if (!inString && c == ',' && depth == 0)
            {
                result.Add(rest[start..i].Trim());
                start = i + 1;
            }
        }
        result.Add(rest[start..].Trim());
        return result;
    }

    private static void Emit(List<byte>? output, uint value, int size)
    {
        if (output is null)
            return;
        for (var i = 0; i < size; i++)
            output.Add((byte)(value >> (8 * i)));
    }

    private static uint Directive(string name, string rest, Context ctx, List<byte>? output)
    {
        var pc = ctx.Pc;
        switch (name)
        {
            case ".org":
            {
                var target = (uint)ctx.Eval(rest);
                if (target < pc)
                    throw new AssemblerException(ctx.Line, $".org 0x{target:x} moves backwards from 0x{pc:x}");
                Pad(output, target - pc);
                return target;
            }
            case ".word" or ".half" or ".byte":
            {
                var size = name switch { ".word" => 4, ".half" => 2, _ => 1 };
                foreach (var op in SplitOperands(rest))
                {
                    Emit(output, (uint)ctx.Eval(op), size);
                    pc += (uint)size;
                }
                return pc;
            }
            case ".space" or ".skip":
            {
                var count = (uint)ctx.Eval(rest);
                Pad(output, count);
                return pc + count;
            }
            case ".align" or ".p2align":
            {
                var alignment = 1u << (int)ctx.Eval(SplitOperands(rest)[0]);
                var next = (pc + alignment - 1) & ~(alignment - 1);
                Pad(output, next - pc);
                return next;
            }
            case ".ascii" or ".asciz" or ".string":
            {
                var bytes = ParseString(rest, ctx.Line);
                if (name != ".ascii")
                    bytes = [.. bytes, 0];
                output?.AddRange(bytes);
                return pc + (uint)bytes.Length;
            }
            case ".equ":
            {
                var ops = SplitOperands(rest);
                if (ops.Count != 2 || !IsIdentifier(ops[0]))
                    throw new AssemblerException(ctx.Line, ".equ takes a name and a value");
                ctx.Symbols[ops[0]] = (uint)ctx.Eval(ops[1]);
                return pc;
            }
            default:
                return IgnoredDirectives.Contains(name) ? pc : throw new AssemblerException(ctx.Line, $"unknown directive {name}");
        }
    }

    private static void Pad(List<byte>? output, uint count)
    {
        if (output is null)
            return;
        for (var i = 0u; i < count; i++)
            output.Add(0);
    }

    private static byte[] ParseString(string text, int line)
    {
        var t = text.Trim();
        if (t.Length < 2 || t[0] != '"' || t[^1] != '"')
            throw new AssemblerException(line, "expected a quoted string");
        var sb = new StringBuilder();
        for (var i = 1; i < t.Length - 1; i++)
        {
            if (t[i] != '\\' || i + 1 >= t.Length - 1)
            {
                sb.Append(t[i]);
                continue;
            }
            i++;
            sb.Append(t[i] switch { 'n' => '\n', 't' => '\t', 'r' => '\r', '0' => '\0', _ => t[i] });
        }
        return Encoding.Latin1.GetBytes(sb.ToString());
    }

    private static IEnumerable<uint> Instruction(string mnemonic, List<string> ops, Context ctx)
    {
        switch (mnemonic)
        {
            case "li" when ops.Count == 2 && !(ctx.IsConstant(ops[1]) && Fits16(ctx.Eval(ops[1]))):
            {
                var rt = ParseGpr(ops[0], ctx.Line);
                var value = (uint)ctx.Eval(ops[1]);
                if (ctx.IsConstant(ops[1]) && (value & 0xffff) == 0)
                    return [Encode("lui", ctx, rt, value >> 16)];
                return [Encode("lui", ctx, rt, value >> 16), Encode("ori", ctx, rt, rt, value & 0xffff)];
            }
            case "li" when ops.Count == 2 && ctx.Eval(ops[1]) is > short.MaxValue and <= ushort.MaxValue:
                return [Encode("ori", ctx, ParseGpr(ops[0], ctx.Line), 0, ctx.Eval(ops[1]))];
            case "la" when ops.Count == 2:
            {
                var rt = ParseGpr(ops[0], ctx.Line);
                var value = (uint)ctx.Eval(ops[1]);
                return [Encode("lui", ctx, rt, (value + 0x8000) >> 16), Encode("addiu", ctx, rt, rt, (short)(value & 0xffff))];
            }
            case "neg" when ops.Count == 2:
                return [Encode("sub", ctx, ParseGpr(ops[0], ctx.Line), 0, ParseGpr(ops[1], ctx.Line))];
            default:
                // Table rows are one word; the first pass only lays out (labels may still be unknown).
                return [ctx.FinalPass ? EncodeRow(mnemonic, ops, ctx) : 0u];
        }
    }

    private static bool Fits16(long v) => v is >= short.MinValue and <= ushort.MaxValue;

    private static uint Encode(string mnemonic, Context ctx, params long[] values)
    {
        var form = ByMnemonic[mnemonic].First(f => f.Operands.Length == values.Length && !f.Flags.HasFlag(InsnFlags.Alias));
        return form.Encode(values.Select(v => new OperandValue(v)).ToArray(), ctx.Pc);
    }

    private static uint EncodeRow(string mnemonic, List<string> ops, Context ctx)
    {
        var rows = ByMnemonic[mnemonic].ToList();
        if (rows.Count == 0)
            throw new AssemblerException(ctx.Line, $"unknown instruction '{mnemonic}'");
        string? firstError = null;
        // Prefer the row whose operand count matches exactly; then rows whose omitted trailing operands default to 0.
        foreach (var form in rows.OrderBy(f => f.Operands.Length == ops.Count ? 0 : 1))
        {
            if (ops.Count > form.Operands.Length || !form.Operands.Skip(ops.Count).All(IsOptional))
                continue;
            try
            {
                var values = new OperandValue[form.Operands.Length];
                for (var i = 0; i < ops.Count; i++)
                    values[i] = ParseOperand(form.Operands[i], ops[i], ctx);
                return form.Encode(values, ctx.Pc);
            }
            catch (Exception e) when (e is ArgumentException or FormatException or AssemblerException)
            {
                firstError ??= e.Message;
            }
        }
        throw new AssemblerException(ctx.Line, firstError ?? $"'{mnemonic}' does not take {ops.Count} operand(s)");
    }

    private static bool IsOptional(OperandKind k) =>
        k is OperandKind.Code20 or OperandKind.Code10 or OperandKind.WaitCode or OperandKind.HypCode or OperandKind.Stype or OperandKind.Sel;

    private static OperandValue ParseOperand(OperandKind kind, string text, Context ctx)
    {
        switch (kind)
        {
            case OperandKind.Rd or OperandKind.Rs or OperandKind.Rt:
                return ParseGpr(text, ctx.Line);
            case OperandKind.Ft:
                return text.StartsWith("$f", StringComparison.Ordinal) ? ParseNumber(text[2..], ctx.Line) : throw new FormatException($"expected an FPU register, got '{text}'");
            case OperandKind.Cp0Reg or OperandKind.HwReg or OperandKind.Cop2Reg:
                return text.StartsWith('$') ? ParseNumber(text[1..], ctx.Line) : ctx.Eval(text);
            case OperandKind.Mem:
            {
                var open = text.LastIndexOf('(');
                if (open < 0 || !text.EndsWith(')'))
                    throw new FormatException($"expected offset(base), got '{text}'");
                var offsetText = text[..open].Trim();
                var offset = offsetText.Length == 0 ? 0 : ctx.Eval(offsetText);
                return new OperandValue(offset, ParseGpr(text[(open + 1)..^1].Trim(), ctx.Line));
            }
            default:
                if (RegisterNames.TryParseGpr(text, out _))
                    throw new FormatException($"expected an immediate, got register '{text}'");
                return ctx.Eval(text);
        }
    }

    private static int ParseGpr(string text, int line) =>
        RegisterNames.TryParseGpr(text, out var r) ? r : throw new AssemblerException(line, $"expected a register, got '{text}'");

    private static long ParseNumber(string text, int line) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : throw new AssemblerException(line, $"bad register number '{text}'");

    /// <summary>Expression evaluation in one pass (undefined labels are 0 in the first pass).</summary>
    private readonly record struct Context(Dictionary<string, uint> Symbols, uint Pc, bool FinalPass, int Line)
    {
        public long Eval(string text)
        {
            var p = new ExpressionParser(text, this);
            var v = p.Expression();
            p.End();
            return v;
        }

        public bool IsConstant(string text)
        {
            var p = new ExpressionParser(text, this);
            p.Expression();
            return !p.UsedSymbol;
        }
    }

    private sealed class ExpressionParser(string text, Context ctx)
    {
        private int _pos;

        public bool UsedSymbol { get; private set; }

        public long Expression()
        {
            var v = Term();
            while (true)
            {
                Skip();
                if (Peek('+')) { _pos++; v += Term(); }
                else if (Peek('-')) { _pos++; v -= Term(); }
                else if (Peek('|')) { _pos++; v |= Term(); }
                else return v;
            }
        }

        public void End()
        {
            Skip();
            if (_pos != text.Length)
                throw new FormatException($"unexpected '{text[_pos..]}' in expression '{text}'");
        }

        private long Term()
        {
            Skip();
            if (_pos >= text.Length)
                throw new FormatException($"missing value in '{text}'");
            var c = text[_pos];
            if (c == '-') { _pos++; return -Term(); }
            if (c == '~') { _pos++; return ~Term(); }
            if (c == '(')
            {
                _pos++;
                var v = Expression();
                Expect(')');
                return v;
            }
            if (c == '%')
            {
                var start = ++_pos;
                while (_pos < text.Length && char.IsAsciiLetter(text[_pos]))
                    _pos++;
                var op = text[start.._pos];
                Expect('(');
                var v = (uint)Expression();
                Expect(')');
                return op switch
                {
                    "hi" => (v + 0x8000) >> 16,
                    "lo" => (short)(v & 0xffff),
                    _ => throw new FormatException($"unknown operator %{op}"),
                };
            }
            if (char.IsAsciiDigit(c))
            {
                var start = _pos;
                while (_pos < text.Length && char.IsAsciiLetterOrDigit(text[_pos]))
                    _pos++;
                var s = text[start.._pos];
                return s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                    ? long.Parse(s[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)
                    : long.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture);
            }
            if (char.IsAsciiLetter(c) || c is '_' or '.')
            {
                var start = _pos;
                while (_pos < text.Length && (char.IsAsciiLetterOrDigit(text[_pos]) || text[_pos] is '_' or '.' or '$'))
                    _pos++;
                var name = text[start.._pos];
                if (name == ".")
                    return ctx.Pc;
                UsedSymbol = true;
                if (ctx.Symbols.TryGetValue(name, out var value))
                    return value;
                return ctx.FinalPass ? throw new FormatException($"undefined symbol '{name}'") : 0;
            }
            throw new FormatException($"unexpected '{c}' in expression '{text}'");
        }

        private void Skip()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos]))
                _pos++;
        }

        private bool Peek(char c) => _pos < text.Length && text[_pos] == c;

        private void Expect(char c)
        {
            Skip();
            if (!Peek(c))
                throw new FormatException($"expected '{c}' in '{text}'");
            _pos++;
        }
    }
}
