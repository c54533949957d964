namespace L4Re.Io.Config;

/// <summary>The kinds of configuration errors <see cref="IoConfigException"/> reports.</summary>
public enum ConfigErrorCode
{
    /// <summary>The text is not in the configuration language (lexical or grammar error).</summary>
    Syntax,
    /// <summary>A value is out of range or not allowed here (bad flags, bad PCI address, …).</summary>
    InvalidValue,
    /// <summary>A device, vbus or resource name is not a valid identifier.</summary>
    InvalidName,
    /// <summary>A property is given twice in one block.</summary>
    DuplicateProperty,
    /// <summary>Two hardware devices have the same name.</summary>
    DuplicateDevice,
    /// <summary>Two resources of one device have the same 4-letter id.</summary>
    DuplicateResource,
    /// <summary>Two memory or port regions overlap.</summary>
    OverlappingRegion,
    /// <summary>An interrupt line is used twice where at least one use is exclusive, or shared with different modes.</summary>
    DuplicateIrq,
    /// <summary>Two vbuses have the same name.</summary>
    DuplicateVbus,
    /// <summary>A match pattern is malformed (bad glob, bad PCI id string).</summary>
    InvalidMatch,
    /// <summary>A match rule or device reference names no hardware device (unknown HID, compatible, PCI id or name).</summary>
    UnknownDevice,
    /// <summary>A device is claimed by more than one vbus.</summary>
    DuplicateClaim,
}
