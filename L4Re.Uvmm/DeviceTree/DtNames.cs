namespace L4Re.Uvmm.DeviceTree;

/// <summary>
/// Name rules of the Devicetree Specification (2.2.1 "Node Names", 2.2.4.1 "Property Names"), which dtc
/// enforces as errors (its checks <c>node_name_chars</c>, <c>node_name_format</c>, <c>property_name_chars</c>).
/// </summary>
public static class DtNames
{
    /// <summary>True when <paramref name="name"/> is a valid node name: <c>base[@unit]</c>, both parts of
    /// <c>[0-9a-zA-Z,._+-]</c>, the base non-empty.</summary>
    /// <param name="name">The node name (not a path).</param>
    public static bool IsValidNodeName(string name)
    {
        if (string.IsNullOrEmpty(name))
            return false;
        var at = name.IndexOf('@');
        var baseName = at < 0 ? name : name[..at];
        if (baseName.Length == 0 || !AllNodeChars(baseName))
            return false;
        if (at < 0)
            return true;
        var unit = name[(at + 1)..];
        return unit.Length > 0 && AllNodeChars(unit);
    }

    /// <summary>True when <paramref name="name"/> is a valid property name: non-empty, of <c>[0-9a-zA-Z,._+?#-]</c>.</summary>
    /// <param name="name">The property name.</param>
    public static bool IsValidPropertyName(string name)
    {
        if (string.IsNullOrEmpty(name))
            return false;
        foreach (var c in name)
        {
            if (!IsNodeChar(c) && c != '?' && c != '#')
                return false;
        }
        return true;
    }

    private static bool AllNodeChars(string s)
    {
        foreach (var c in s)
        {
            if (!IsNodeChar(c))
                return false;
        }
        return true;
    }

    private static bool IsNodeChar(char c) =>
        c is >= '0' and <= '9' or >= 'a' and <= 'z' or >= 'A' and <= 'Z' or ',' or '.' or '_' or '+' or '-';
}
