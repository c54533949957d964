using L4Re.Kernel.Abi;
using L4Re.Io.Hw;
using L4Re.Io.Vbus;

namespace L4Re.Io.Config.Text;

/// <summary>
/// Recursive-descent parser of the io configuration text format (grammar in docs/io.md). The first
/// syntax error stops parsing; errors in otherwise well-formed statements (a property given twice, a
/// value out of range) are collected so that one run reports them all. Either way the result is an
/// <see cref="IoConfigException"/> — never a partial configuration.
/// </summary>
internal sealed class Parser
{
    private static readonly string[] DeviceProperties = ["hid", "compatible", "dma", "pci", "mmio", "irq", "port", "bus", "gpio"];

    private readonly List<Token> _tokens;
    private readonly string _source;
    private readonly List<ConfigError> _errors = [];
    private int _pos;

    public Parser(List<Token> tokens, string source)
    {
        _tokens = tokens;
        _source = source;
    }

    public IoConfig ParseFile()
    {
        var devices = new List<HwDevice>();
        var vbuses = new List<VbusSpec>();
        while (true)
        {
            SkipNewlines();
            var t = Peek;
            if (t.Kind == TokenKind.End)
                break;
            if (t.Kind == TokenKind.Identifier && t.Text == "device")
                devices.Add(ParseDevice());
            else if (t.Kind == TokenKind.Identifier && t.Text == "vbus")
                vbuses.Add(ParseVbus());
            else
                throw Syntax(t, $"expected 'device' or 'vbus', found {t.Describe()}");
        }
        if (_errors.Count > 0)
            throw new IoConfigException(_errors);
        return new IoConfig(devices, vbuses);
    }

    private Token Peek => _tokens[_pos];

    private Token Advance() => _tokens[_pos < _tokens.Count - 1 ? _pos++ : _pos];

    private void SkipNewlines()
    {
        while (Peek.Kind == TokenKind.Newline)
            _pos++;
    }

    private Token Expect(TokenKind kind, string what)
    {
        var t = Peek;
        if (t.Kind != kind)
            throw Syntax(t, $"expected {what}, found {t.Describe()}");
        return Advance();
    }

    private bool Accept(TokenKind kind)
    {
        if (Peek.Kind != kind)
            return false;
        Advance();
        return true;
    }

    private bool AtStatementEnd => Peek.Kind is TokenKind.Newline or TokenKind.RBrace or TokenKind.End;

    private ConfigLocation At(Token t) => new(_source, t.Line, t.Column);

    private IoConfigException Syntax(Token t, string message)
    {
        _errors.Add(new ConfigError(ConfigErrorCode.Syntax, message, At(t)));
        return new IoConfigException([.. _errors]);
    }

    private void Report(ConfigErrorCode code, Token t, string message) => _errors.Add(new ConfigError(code, message, At(t)));

    /// <summary>Parses <c>{ statement* }</c>, calling <paramref name="statement"/> with each statement's first token.</summary>
    private void ParseBlock(string owner, Token opener, Action<Token> statement)
    {
        Expect(TokenKind.LBrace, $"'{{' after {owner}");
        while (true)
        {
            SkipNewlines();
            var t = Peek;
            if (t.Kind == TokenKind.End)
                throw Syntax(t, $"missing '}}' for {owner} opened at line {opener.Line}");
            if (Accept(TokenKind.RBrace))
                break;
            if (t.Kind != TokenKind.Identifier)
                throw Syntax(t, $"expected a statement in {owner}, found {t.Describe()}");
            Advance();
            statement(t);
            if (!AtStatementEnd)
                throw Syntax(Peek, $"expected end of line after '{t.Text}' statement, found {Peek.Describe()}");
        }
        if (Peek.Kind is not (TokenKind.Newline or TokenKind.End))
            throw Syntax(Peek, $"expected end of line after '}}' of {owner}, found {Peek.Describe()}");
    }

    private HwDevice ParseDevice()
    {
        var keyword = Advance();
        var name = Expect(TokenKind.Identifier, "a device name");
        string? hid = null;
        var compatible = new List<string>();
        var resources = new List<HwResource>();
        var dma = false;
        PciIdentity? pci = null;
        var seen = new Dictionary<string, Token>(StringComparer.Ordinal);
        var owner = $"device '{name.Text}'";

        ParseBlock(owner, keyword, t =>
        {
            if (t.Text is "hid" or "compatible" or "dma" or "pci" && !seen.TryAdd(t.Text, t))
                Report(ConfigErrorCode.DuplicateProperty, t, $"{owner}: '{t.Text}' is already given at line {seen[t.Text].Line}");
            switch (t.Text)
            {
                case "hid":
                    Expect(TokenKind.Equals, "'=' after 'hid'");
                    hid = Expect(TokenKind.String, "a quoted HID").Text;
                    break;
                case "compatible":
                    Expect(TokenKind.Equals, "'=' after 'compatible'");
                    do
                        compatible.Add(Expect(TokenKind.String, "a quoted compatible id").Text);
                    while (Accept(TokenKind.Comma));
                    break;
                case "dma":
                    dma = true;
                    break;
                case "pci":
                    pci = ParsePci(t, owner);
                    break;
                case "mmio" or "irq" or "port" or "bus" or "gpio":
                    if (ParseResource(t, owner) is { } r)
                        resources.Add(r);
                    break;
                default:
                    throw Syntax(t, $"unknown {owner} property '{t.Text}' (expected {string.Join(", ", DeviceProperties)})");
            }
        });
        return new HwDevice(name.Text, hid, compatible, resources, dma, pci, At(keyword));
    }

    private PciIdentity? ParsePci(Token keyword, string owner)
    {
        var fields = new Dictionary<string, Token>(StringComparer.Ordinal);
        var values = new Dictionary<string, Token>(StringComparer.Ordinal);
        while (!AtStatementEnd)
        {
            var key = Expect(TokenKind.Identifier, "a pci field (vendor, device, class, revision, subsystem, address)");
            if (key.Text is not ("vendor" or "device" or "class" or "revision" or "subsystem" or "address"))
                throw Syntax(key, $"unknown pci field '{key.Text}' (expected vendor, device, class, revision, subsystem, address)");
            Expect(TokenKind.Equals, $"'=' after '{key.Text}'");
            var value = key.Text == "address"
                ? Expect(TokenKind.String, "a quoted PCI address such as \"0000:01:00.0\"")
                : Expect(TokenKind.Number, $"a number for '{key.Text}'");
            if (!fields.TryAdd(key.Text, key))
                Report(ConfigErrorCode.DuplicateProperty, key, $"{owner}: pci field '{key.Text}' is given twice");
            values[key.Text] = value;
        }

        var ok = true;
        ulong Field(string name, ulong max, ulong fallback)
        {
            if (!values.TryGetValue(name, out var v))
                return fallback;
            if (v.Number <= max)
                return v.Number;
            Report(ConfigErrorCode.InvalidValue, v, $"{owner}: pci {name} {v.Text} exceeds 0x{max:x}");
            ok = false;
            return fallback;
        }

        foreach (var required in (ReadOnlySpan<string>)["vendor", "device"])
        {
            if (values.ContainsKey(required))
                continue;
            Report(ConfigErrorCode.InvalidValue, keyword, $"{owner}: pci needs a {required} id");
            ok = false;
        }
        var vendor = (ushort)Field("vendor", 0xffff, 0);
        var device = (ushort)Field("device", 0xffff, 0);
        var cls = (uint)Field("class", 0xff_ffff, 0);
        var rev = (byte)Field("revision", 0xff, 0);
        var sub = (uint)Field("subsystem", 0xffff_ffff, 0);
        PciAddress? address = null;
        if (values.TryGetValue("address", out var a))
        {
            if (PciAddress.TryParse(a.Text, out var parsed))
                address = parsed;
            else
            {
                Report(ConfigErrorCode.InvalidValue, a, $"{owner}: pci address \"{a.Text}\" is not ssss:bb:dd.f (hex; device < 0x20, function < 8)");
                ok = false;
            }
        }
        return ok ? new PciIdentity(vendor, device, cls, rev, sub, address) : null;
    }

    private HwResource? ParseResource(Token keyword, string owner)
    {
        var id = Expect(TokenKind.Identifier, $"a resource name after '{keyword.Text}'");
        Expect(TokenKind.Equals, $"'=' after '{keyword.Text} {id.Text}'");
        var start = Expect(TokenKind.Number, "a number");
        var end = start.Number;
        var valid = true;
        if (Accept(TokenKind.DotDot))
            end = Expect(TokenKind.Number, "the last number of the range after '..'").Number;
        else if (Accept(TokenKind.Plus))
        {
            var size = Expect(TokenKind.Number, "a size after '+'");
            if (size.Number == 0 || start.Number + (size.Number - 1) < start.Number)
            {
                Report(ConfigErrorCode.InvalidValue, size, $"{owner}: {keyword.Text} '{id.Text}' size {size.Text} is zero or wraps around the address space");
                valid = false;
            }
            else
                end = start.Number + (size.Number - 1);
        }

        var access = MemFlags.None;
        var memExtra = MemFlags.None;
        var mode = IrqMode.None;
        var modeGiven = false;
        var shared = false;
        while (!AtStatementEnd)
        {
            var opt = Expect(TokenKind.Identifier, $"an option of '{keyword.Text}'");
            if (!ApplyOption(keyword.Text, opt, ref access, ref memExtra, ref mode, ref modeGiven, ref shared))
                throw Syntax(opt, $"unknown {keyword.Text} option '{opt.Text}' (expected {OptionsOf(keyword.Text)})");
        }

        if (!ResourceId.IsValidName(id.Text))
        {
            Report(ConfigErrorCode.InvalidName, id, $"{owner}: resource name '{id.Text}' is longer than 4 characters (l4vbus_resource_t.id holds 4)");
            valid = false;
        }
        if (keyword.Text == "irq" && (start.Number > uint.MaxValue || end > uint.MaxValue))
        {
            Report(ConfigErrorCode.InvalidValue, start, $"{owner}: irq '{id.Text}' number exceeds 32 bits");
            valid = false;
        }
        if (!valid)
            return null;

        var (type, flags) = keyword.Text switch
        {
            "mmio" => (ResourceType.Mem, (ushort)((access == MemFlags.None ? MemFlags.RW : access) | memExtra)),
            "irq" => (ResourceType.Irq, (ushort)mode),
            "port" => (ResourceType.Port, (ushort)0),
            "bus" => (ResourceType.Bus, (ushort)0),
            _ => (ResourceType.Gpio, (ushort)0),
        };
        return new HwResource(new Resource(type, flags, start.Number, end, ResourceId.FromName(id.Text)), shared, At(keyword));
    }

    private bool ApplyOption(string kind, Token opt, ref MemFlags access, ref MemFlags extra, ref IrqMode mode, ref bool modeGiven, ref bool shared)
    {
        if (kind == "mmio")
        {
            MemFlags? acc = opt.Text switch { "r" => MemFlags.R, "w" => MemFlags.W, "rw" => MemFlags.RW, _ => null };
            if (acc is { } a)
            {
                if (access != MemFlags.None)
                    Report(ConfigErrorCode.DuplicateProperty, opt, $"mmio access is given twice ('{opt.Text}')");
                access = a;
                return true;
            }
            MemFlags? flag = opt.Text switch
            {
                "prefetchable" => MemFlags.Prefetchable,
                "cacheable" => MemFlags.Cacheable,
                "mmio-read" => MemFlags.MmioRead,
                "mmio-write" => MemFlags.MmioWrite,
                _ => null,
            };
            if (flag is not { } f)
                return false;
            if ((extra & f) != 0)
                Report(ConfigErrorCode.DuplicateProperty, opt, $"mmio option '{opt.Text}' is given twice");
            extra |= f;
            return true;
        }
        if (kind == "irq")
        {
            if (opt.Text == "shared")
            {
                if (shared)
                    Report(ConfigErrorCode.DuplicateProperty, opt, "irq option 'shared' is given twice");
                shared = true;
                return true;
            }
            IrqMode? m = opt.Text switch
            {
                "none" => IrqMode.None,
                "level-high" => IrqMode.LevelHigh,
                "level-low" => IrqMode.LevelLow,
                "edge-rising" => IrqMode.PositiveEdge,
                "edge-falling" => IrqMode.NegativeEdge,
                "edge-both" => IrqMode.BothEdges,
                _ => null,
            };
            if (m is not { } mm)
                return false;
            if (modeGiven)
                Report(ConfigErrorCode.DuplicateProperty, opt, $"irq mode is given twice ('{opt.Text}')");
            mode = mm;
            modeGiven = true;
            return true;
        }
        return false;
    }

    private static string OptionsOf(string kind) => kind switch
    {
        "mmio" => "r, w, rw, prefetchable, cacheable, mmio-read, mmio-write",
        "irq" => "none, level-high, level-low, edge-rising, edge-falling, edge-both, shared",
        _ => "no options",
    };

    private VbusSpec ParseVbus()
    {
        var keyword = Advance();
        var name = Expect(TokenKind.Identifier, "a vbus name");
        var rules = new List<MatchRule>();
        var owner = $"vbus '{name.Text}'";
        ParseBlock(owner, keyword, t =>
        {
            switch (t.Text)
            {
                case "match":
                    var next = Peek;
                    if (next.Kind == TokenKind.String)
                    {
                        rules.Add(new MatchRule(MatchKind.Io, Advance().Text, At(t)));
                        break;
                    }
                    if (next.Kind == TokenKind.Identifier && next.Text is "hid" or "compatible" or "pci")
                    {
                        Advance();
                        var kind = next.Text switch { "hid" => MatchKind.Hid, "compatible" => MatchKind.Compatible, _ => MatchKind.Pci };
                        rules.Add(new MatchRule(kind, Expect(TokenKind.String, $"a quoted pattern after 'match {next.Text}'").Text, At(t)));
                        break;
                    }
                    throw Syntax(next, $"expected hid, compatible, pci or a quoted io id after 'match', found {next.Describe()}");
                case "device":
                    rules.Add(new MatchRule(MatchKind.Name, Expect(TokenKind.Identifier, "a device name after 'device'").Text, At(t)));
                    break;
                default:
                    throw Syntax(t, $"unknown {owner} statement '{t.Text}' (expected match or device)");
            }
        });
        return new VbusSpec(name.Text, rules, At(keyword));
    }
}
