namespace L4Re.Io.Config;

/// <summary>The naming rules shared by the text format and the C# builder.</summary>
public static class ConfigNames
{
    /// <summary>The longest device or vbus name: <c>l4vbus_device_t.name</c> holds 64 bytes including the terminating zero (<c>L4VBUS_DEV_NAME_LEN</c>).</summary>
    public const int MaxNameLength = 63;

    /// <summary>True for a valid device or vbus name: a letter or <c>_</c>, then letters, digits, <c>_</c> or <c>-</c>; at most <see cref="MaxNameLength"/> characters.</summary>
    public static bool IsIdentifier(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength || !IsIdentifierStart(name[0]))
            return false;
        foreach (var c in name)
            if (!IsIdentifierPart(c))
                return false;
        return true;
    }

    /// <summary>True for a valid HID, compatible id or match pattern: non-empty, no control characters.</summary>
    public static bool IsText(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return false;
        foreach (var c in text)
            if (char.IsControl(c))
                return false;
        return true;
    }

    internal static bool IsIdentifierStart(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_';

    internal static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || c is (>= '0' and <= '9') or '-';
}
