namespace L4Re.Kernel.Abi;

/// <summary>
/// Generic L4 error codes (<c>L4_E*</c> in l4sys/include/err.h). A kernel object answers with the
/// negated value in the label of the reply tag.
/// </summary>
public enum L4Error
{
    /// <summary>Success (<c>L4_EOK</c>).</summary>
    Ok = 0,
    /// <summary>No permission (<c>L4_EPERM</c>).</summary>
    Perm = 1,
    /// <summary>No such entity (<c>L4_ENOENT</c>).</summary>
    NoEnt = 2,
    /// <summary>Out of memory, e.g. an exhausted factory quota (<c>L4_ENOMEM</c>).</summary>
    NoMem = 12,
    /// <summary>Entity busy (<c>L4_EBUSY</c>).</summary>
    Busy = 16,
    /// <summary>Entity already exists (<c>L4_EEXIST</c>).</summary>
    Exist = 17,
    /// <summary>Invalid argument (<c>L4_EINVAL</c>).</summary>
    Inval = 22,
    /// <summary>Out of range (<c>L4_ERANGE</c>).</summary>
    Range = 34,
    /// <summary>Function not implemented (<c>L4_ENOSYS</c>).</summary>
    NoSys = 38,
    /// <summary>Protocol not supported (<c>L4_EBADPROTO</c>).</summary>
    BadProto = 39,
    /// <summary>No reply (<c>L4_ENOREPLY</c>).</summary>
    NoReply = 1000,
    /// <summary>Message too short (<c>L4_EMSGTOOSHORT</c>).</summary>
    MsgTooShort = 1001,
    /// <summary>Message too long (<c>L4_EMSGTOOLONG</c>).</summary>
    MsgTooLong = 1002,
}
