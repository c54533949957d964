using System.Globalization;
using L4Re.Io.Hw;

namespace L4Re.Io.Vbus;

/// <summary>
/// A compiled io PCI id string: <c>PCI/</c> followed by <c>&amp;</c>-separated fields that must all
/// match — <c>CC_cc</c>, <c>CC_ccss</c>, <c>CC_ccsspp</c> (class code prefix), <c>VEN_vvvv</c>,
/// <c>DEV_dddd</c>, <c>SUBSYS_ssssssss</c>, <c>REV_rr</c>, <c>ADR_ssss:bb:dd.f</c> (hexadecimal), or a
/// class name from <see cref="PciClassNames"/> (e.g. <c>network_nw</c>). Syntax and semantics follow
/// kernkonzept/io <c>io/doc/io.dox</c> and <c>io/server/src/pci/pci-dev.cc</c> (<c>Dev::match_cid</c>);
/// where io silently fails to match a malformed field, this type reports it as a pattern error.
/// </summary>
public sealed class PciMatch
{
    /// <summary>The prefix of every PCI id string.</summary>
    public const string Prefix = "PCI/";

    private readonly Condition[] _conditions;

    private PciMatch(string text, Condition[] conditions)
    {
        Text = text;
        _conditions = conditions;
    }

    /// <summary>The id string as given.</summary>
    public string Text { get; }

    /// <summary>
    /// Compiles <paramref name="text"/>; the <c>PCI/</c> prefix is optional unless
    /// <paramref name="requirePrefix"/>. On failure <paramref name="error"/> says why.
    /// </summary>
    public static bool TryCompile(string text, bool requirePrefix, out PciMatch? match, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        match = null;
        var body = text.StartsWith(Prefix, StringComparison.Ordinal) ? text[Prefix.Length..] : text;
        if (requirePrefix && body.Length == text.Length)
        {
            error = $"PCI id '{text}' does not start with '{Prefix}'";
            return false;
        }
        var conditions = new List<Condition>();
        foreach (var token in body.Split('&'))
        {
            if (token.Length == 0)
                continue;
            if (!TryField(token, out var c, out error))
            {
                error = $"PCI id '{text}': {error}";
                return false;
            }
            conditions.Add(c);
        }
        if (conditions.Count == 0)
        {
            error = $"PCI id '{text}' has no fields (expected CC_, VEN_, DEV_, SUBSYS_, REV_, ADR_ or a class name)";
            return false;
        }
        match = new PciMatch(text, [.. conditions]);
        error = null;
        return true;
    }

    /// <summary>Compiles <paramref name="text"/> (prefix optional).</summary>
    /// <exception cref="ArgumentException">The id string is malformed.</exception>
    public static PciMatch Compile(string text) =>
        TryCompile(text, requirePrefix: false, out var m, out var error) ? m! : throw new ArgumentException(error, nameof(text));

    /// <summary>True when <paramref name="pci"/> satisfies every field.</summary>
    public bool IsMatch(PciIdentity pci)
    {
        ArgumentNullException.ThrowIfNull(pci);
        foreach (var c in _conditions)
        {
            var ok = c.Field switch
            {
                Field.Class => pci.ClassCode >> (8 * (3 - c.Digits / 2)) == c.Value,
                Field.Vendor => pci.VendorId == c.Value,
                Field.Device => pci.DeviceId == c.Value,
                Field.Subsystem => pci.SubsystemId == c.Value,
                Field.Revision => pci.Revision == c.Value,
                Field.Address => pci.Address is { } a && a == c.Address,
                _ => false,
            };
            if (!ok)
                return false;
        }
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Text;

    private static bool TryField(string token, out Condition condition, out string? error)
    {
        condition = default;
        error = null;
        if (PciClassNames.Table.TryGetValue(token, out var cc))
            token = "CC_" + cc;
        if (token.StartsWith("CC_", StringComparison.Ordinal))
        {
            var digits = token[3..];
            if (digits.Length is not (2 or 4 or 6) || !Hex(digits, out var v))
                return Fail(out error, $"'{token}' needs 2, 4 or 6 hex digits (class, subclass, programming interface)");
            condition = new Condition(Field.Class, v, digits.Length, default);
            return true;
        }
        if (token.StartsWith("ADR_", StringComparison.Ordinal))
        {
            if (!PciAddress.TryParse(token[4..], out var address))
                return Fail(out error, $"'{token}' is not ADR_ssss:bb:dd.f");
            condition = new Condition(Field.Address, 0, 0, address);
            return true;
        }
        (string Prefix, Field Field, int Digits)[] fixedFields =
        [
            ("VEN_", Field.Vendor, 4), ("DEV_", Field.Device, 4), ("SUBSYS_", Field.Subsystem, 8), ("REV_", Field.Revision, 2),
        ];
        foreach (var (prefix, field, width) in fixedFields)
        {
            if (!token.StartsWith(prefix, StringComparison.Ordinal))
                continue;
            var digits = token[prefix.Length..];
            if (digits.Length != width || !Hex(digits, out var v))
                return Fail(out error, $"'{token}' needs exactly {width} hex digits");
            condition = new Condition(field, v, width, default);
            return true;
        }
        return Fail(out error, $"unknown field '{token}' (expected CC_, VEN_, DEV_, SUBSYS_, REV_, ADR_ or a PCI class name such as network_nw)");
    }

    private static bool Hex(string digits, out uint value) =>
        uint.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);

    private static bool Fail(out string? error, string message)
    {
        error = message;
        return false;
    }

    private enum Field : byte { Class, Vendor, Device, Subsystem, Revision, Address }

    private readonly record struct Condition(Field Field, uint Value, int Digits, PciAddress Address);
}
