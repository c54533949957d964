namespace L4Re.Regulatory.Regdb;

/// <summary>
/// Layout constants of regulatory.db version 20 (net/wireless/reg.c <c>struct fwdb_header</c>,
/// <c>fwdb_country</c>, <c>fwdb_collection</c>, <c>fwdb_rule</c>, <c>fwdb_wmm_rule</c>). All numbers are
/// big-endian; pointers are be16 counts of 4-byte units from the start of the file.
/// </summary>
public static class RegulatoryDbFormat
{
    /// <summary><c>FWDB_MAGIC</c>, "RGDB".</summary>
    public const uint Magic = 0x52474442;

    /// <summary><c>FWDB_VERSION</c>.</summary>
    public const uint Version = 20;

    /// <summary>Size of the header (magic, version).</summary>
    public const int HeaderSize = 8;

    /// <summary>Size of one country index entry: alpha2[2], be16 coll_ptr.</summary>
    public const int CountrySize = 4;

    /// <summary>Mandatory collection bytes: len, n_rules, dfs_region (<c>offsetofend(dfs_region)</c>).</summary>
    public const int CollectionMinLength = 3;

    /// <summary>Mandatory rule bytes: len, flags, be16 max_eirp, be32 start, end, max_bw.</summary>
    public const int RuleMinLength = 16;

    /// <summary>Rule length that includes be16 cac_timeout.</summary>
    public const int RuleLengthWithCac = 18;

    /// <summary>Rule length that includes be16 wmm_ptr.</summary>
    public const int RuleLengthWithWmm = 20;

    /// <summary>Size of a WMM rule: 8 × {u8 ecw, u8 aifsn, be16 cot}.</summary>
    public const int WmmRuleSize = 32;

    /// <summary>Largest byte offset a be16 pointer can express.</summary>
    public const int MaxPointerOffset = ushort.MaxValue * 4;
}
