/*
 * SPDX-License-Identifier: MIT OR Apache-2.0
 *
 * Written for simile's tests in the style of OpenSolaris/illumos kernel C:
 * return types on their own line, K&R definitions, #pragma init, macros
 * around declarations, static helpers and long switch statements.
 */

#pragma ident	"%Z%%M%	%I%	%E% SMI"

#include <sys/types.h>
#include <sys/errno.h>
#include <sys/proc.h>

#pragma init(lx_brand_init)
#pragma fini(lx_brand_fini)

#define	LX_MAXPID	999999
#define	LX_DEBUG(args)	if (lx_debug) lx_debug_print args
#define	DEFINE_LX_SYSCALL(name, args)	int name args

static int lx_debug = 0;
extern int lx_debug_print(const char *, ...);

typedef struct lx_proc {
	pid_t		lxp_pid;
	int		lxp_flags;
	struct lx_proc	*lxp_next;
} lx_proc_t;

static void
lx_brand_init(void)
{
	lx_debug = 0;
	lx_proc_count = 0;
	LX_DEBUG(("lx brand loaded, %d procs\n", lx_proc_count));
}

/*
 * Translate a Linux pid into a native one (a K&R definition kept from the
 * original port).
 */
int
lx_lpid_to_spid(lxpid, spidp)
	pid_t lxpid;
	pid_t *spidp;
{
	if (lxpid < 0 || lxpid > LX_MAXPID)
		return (ESRCH);
	if (lxpid == 0) {
		*spidp = 0;
		return (0);
	}
	*spidp = lxpid + 1;
	LX_DEBUG(("lpid %d -> spid %d\n", lxpid, *spidp));
	return (0);
}

_NOTE(ARGSUSED)
static int
lx_kill(pid_t pid, int sig)
{
	pid_t spid;
	int error;

	if ((error = lx_lpid_to_spid(pid, &spid)) != 0)
		return (error);
	if (sig < 0 || sig > LX_NSIG)
		return (EINVAL);
	LX_DEBUG(("kill %d (%d)\n", pid, sig));
	return (kill(spid, sig));
}

static int
lx_pmm_setup(struct pmm_state *target, int pmm_flags)
{
	if (target == NULL)
		return (EINVAL);
	target->ps_flags = pmm_flags;
	target->ps_count = 0;
	target->ps_next = NULL;
	LX_DEBUG(("pmm setup %p\n", (void *)target));
	return (0);
}

/*
 * Native errno to Linux errno: one long switch.
 */
static int
lx_errno_xlate(int native)
{
	switch (native) {
	case EPERM:
		return (1);
	case ENOENT:
		return (2);
	case ESRCH:
		return (3);
	case EINTR:
		return (4);
	case EIO:
		return (5);
	case ENXIO:
		return (6);
	case E2BIG:
		return (7);
	case ENOEXEC:
		return (8);
	case EBADF:
		return (9);
	case ECHILD:
		return (10);
	case EAGAIN:
		return (11);
	case ENOMEM:
		return (12);
	case EACCES:
		return (13);
	case EFAULT:
		return (14);
	case EBUSY:
		return (15);
	case EEXIST:
		return (16);
	case EXDEV:
		return (17);
	case ENODEV:
		return (18);
	case ENOTDIR:
		return (19);
	case EISDIR:
		return (20);
	case EINVAL:
		return (21);
	case ENFILE:
		return (22);
	case EMFILE:
		return (23);
	case ENOTTY:
		return (24);
	case EFBIG:
		return (25);
	case ENOSPC:
		return (26);
	case ESPIPE:
		return (27);
	case EROFS:
		return (28);
	case EMLINK:
		return (29);
	case EPIPE:
		return (30);
	case EDEADLK:
		return (35);
	case ENOLCK:
		return (37);
	default:
		LX_DEBUG(("unknown errno %d\n", native));
		return (-1);
	}
}

#if defined(__sparc)
static int
lx_pick_ops(int how)
{
#else
static int
lx_pick_ops(int how, int flags)
{
#endif
	if (how == 0)
		return (0);
	return (how + 1);
}

static boolean_t
lx_is_thread_group_leader(proc_t *p, kthread_t *t)
{
	lx_lwp_data_t *lwpd = ttolxlwp(t);

	if (lwpd == NULL || p->p_brand != &lx_brand)
		return (B_FALSE);
	return (lwpd->br_pid == p->p_pid ? B_TRUE : B_FALSE);
}

DEFINE_LX_SYSCALL(lx_getppid, (void))
{
	proc_t *p = curproc;

	mutex_enter(&p->p_lock);
	p = p->p_parent;
	mutex_exit(&curproc->p_lock);
	return (p->p_pid);
}

static int
lx_stat_impl(int fd, struct lx_stat *buf, int flags)
{
	file_t *fp;
	vattr_t va;
	int error;

	if ((fp = getf(fd)) == NULL)
		return (EBADF);
	va.va_mask = AT_ALL;
	error = VOP_GETATTR(fp->f_vnode, &va, flags, fp->f_cred, NULL);
	releasef(fd);
	if (error != 0)
		return (error);
	buf->st_size = va.va_size;
	buf->st_mode = va.va_mode;
	return (0);
}

static void
lx_brand_fini(void)
{
	if (lx_proc_count != 0)
		cmn_err(CE_WARN, "lx: %d processes still branded", lx_proc_count);
	LX_DEBUG(("lx brand unloaded\n"));
}
