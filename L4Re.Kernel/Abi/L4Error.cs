namespace L4Re.Kernel.Abi;

/// <summary>
/// Generic L4 error codes (<c>L4_E*</c>). A kernel object answers with the negated value in the
/// label of the reply tag (see <see cref="MsgTag.FromError"/>).
/// </summary>
/// <remarks>Source: l4re-core l4sys/include/err.h; fiasco src/abi/l4_types.cpp (<c>L4_err</c>).</remarks>
public enum L4Error
{
    /// <summary>Success (<c>L4_EOK</c>).</summary>
    Ok = 0,
    /// <summary>No permission (<c>L4_EPERM</c>).</summary>
    Perm = 1,
    /// <summary>No such entity (<c>L4_ENOENT</c>).</summary>
    NoEnt = 2,
    /// <summary>I/O error (<c>L4_EIO</c>).</summary>
    Io = 5,
    /// <summary>No such device or address (<c>L4_ENXIO</c>).</summary>
    NxIo = 6,
    /// <summary>Try again (<c>L4_EAGAIN</c>).</summary>
    Again = 11,
    /// <summary>Out of memory, e.g. an exhausted factory quota (<c>L4_ENOMEM</c>).</summary>
    NoMem = 12,
    /// <summary>Permission denied (<c>L4_EACCESS</c>).</summary>
    Access = 13,
    /// <summary>Invalid memory address, an unresolved page fault (<c>L4_EFAULT</c>).</summary>
    Fault = 14,
    /// <summary>Entity busy (<c>L4_EBUSY</c>).</summary>
    Busy = 16,
    /// <summary>Entity already exists (<c>L4_EEXIST</c>).</summary>
    Exist = 17,
    /// <summary>Objects of this kind cannot be created (<c>L4_ENODEV</c>).</summary>
    NoDev = 19,
    /// <summary>Not a directory (<c>L4_ENOTDIR</c>).</summary>
    NotDir = 20,
    /// <summary>Invalid argument (<c>L4_EINVAL</c>).</summary>
    Inval = 22,
    /// <summary>No space left (<c>L4_ENOSPC</c>).</summary>
    NoSpc = 28,
    /// <summary>Out of range (<c>L4_ERANGE</c>).</summary>
    Range = 34,
    /// <summary>Name too long (<c>L4_ENAMETOOLONG</c>).</summary>
    NameTooLong = 36,
    /// <summary>Function not implemented (<c>L4_ENOSYS</c>).</summary>
    NoSys = 38,
    /// <summary>Protocol not supported (<c>L4_EBADPROTO</c>).</summary>
    BadProto = 39,
    /// <summary>Address not available (<c>L4_EADDRNOTAVAIL</c>).</summary>
    AddrNotAvail = 99,
    /// <summary>No reply (<c>L4_ENOREPLY</c>).</summary>
    NoReply = 1000,
    /// <summary>Message too short (<c>L4_EMSGTOOSHORT</c>).</summary>
    MsgTooShort = 1001,
    /// <summary>Message too long (<c>L4_EMSGTOOLONG</c>).</summary>
    MsgTooLong = 1002,
    /// <summary>Message has an invalid capability (<c>L4_EMSGMISSARG</c>).</summary>
    MsgMissArg = 1003,
    /// <summary>Error code out of range (<c>L4_EMSGERRRANGE</c>).</summary>
    MsgErrRange = 1004,
    /// <summary>The server dropped the reply capability (<c>L4_EDROPREPLY</c>).</summary>
    DropReply = 1005,
}
